import CLibCurl

/// Why an HTTPS request got no response. A response, whatever its status, is not an error.
public enum HTTPSClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not a URL libcurl takes, or one with a user or password in it (they would end up in logs).
    case invalidURL(String)
    /// The scheme is not https, nor http to a loopback host when the client allows that.
    case protocolRefused(scheme: String)
    /// A request header whose name is not a token or whose value holds CR, LF or NUL.
    case invalidHeader(name: String)
    /// Name resolution failed, or nothing accepted the connection.
    case connectFailed(String)
    /// The TLS handshake failed or the certificate did not verify.
    case tlsFailed(String)
    /// The connect or the total timeout ran out.
    case timedOut(String)
    /// The response passed the client's size limit; the transfer was stopped there.
    case responseTooLarge(limit: Int)
    /// Anything else: the connection dropped, the response was not HTTP...
    case transferFailed(String)

    public var description: String {
        switch self {
        case .invalidURL(let reason): "invalid URL: \(reason)"
        case .protocolRefused(let scheme): "refused to use \(scheme): https only (http only to a loopback host, when allowed)"
        case .invalidHeader(let name): "invalid request header \(name.debugDescription)"
        case .connectFailed(let reason): "connect failed: \(reason)"
        case .tlsFailed(let reason): "TLS failed: \(reason)"
        case .timedOut(let reason): "timed out: \(reason)"
        case .responseTooLarge(let limit): "response larger than \(limit) bytes"
        case .transferFailed(let reason): "transfer failed: \(reason)"
        }
    }

    init(_ failure: CurlFailure, collector: ResponseCollector, limit: Int) {
        self = if collector.exceededLimit || failure.code == CURLE_FILESIZE_EXCEEDED {
            .responseTooLarge(limit: limit)
        } else if failure.isTimeout {
            .timedOut(failure.message)
        } else if failure.isConnectFailure {
            .connectFailed(failure.message)
        } else if failure.isTLSFailure {
            .tlsFailed(failure.message)
        } else {
            .transferFailed(failure.message)
        }
    }
}
