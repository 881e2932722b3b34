import CLibCurl
import FoundationEssentials

/// Bounds on one SMTP delivery or HTTPS request, in seconds.
public struct OutboundTimeouts: Sendable {
    /// Resolving the name, connecting and the TLS handshake together.
    public var connect: TimeInterval
    /// The whole exchange, connecting included: a server that accepts and then says nothing
    /// fails at this bound.
    public var total: TimeInterval

    public init(connect: TimeInterval = 10, total: TimeInterval = 30) {
        self.connect = connect
        self.total = total
    }

    func apply(to easy: CurlEasy) {
        // libcurl reads 0 as "no limit"; a bound that small is surely meant as the smallest.
        easy.set(CURLOPT_CONNECTTIMEOUT_MS, max(1, Int(connect * 1000)))
        easy.set(CURLOPT_TIMEOUT_MS, max(1, Int(total * 1000)))
        easy.abort(after: total + TransferDeadline.grace)
    }
}
