import CLibCurl

/// Blocking HTTPS requests through libcurl, for OpenID Connect: discovery, JWKS, the token
/// endpoint.
///
/// Every request verifies the server's certificate and host name against `trust`, is bounded
/// by `timeouts` and by `responseSizeLimit`, follows no redirect (a 3xx is returned as it is),
/// and speaks only https, or http to a loopback host when `allowsPlainHTTPToLoopback` (local
/// development against a test provider).
///
/// Thread-safe; blocking, so call it from worker threads. Idle libcurl handles are kept between
/// requests, and with them live connections to the providers.
///
/// ```swift
/// let client = HTTPSClient(trust: try CertificateTrust(extraCAFile: extraCAFile))
/// let discovery = try client.get("https://accounts.google.com/.well-known/openid-configuration")
/// guard discovery.status == 200 else { ... }
/// let tokens = try client.post(tokenEndpoint, form: [("grant_type", "authorization_code"), ("code", code)])
/// ```
public final class HTTPSClient: Sendable {
    public let trust: CertificateTrust
    public let timeouts: OutboundTimeouts
    /// Headers and body together; past it the transfer stops with `.responseTooLarge`.
    public let responseSizeLimit: Int
    public let allowsPlainHTTPToLoopback: Bool
    private let handles = CurlHandlePool()

    public init(
        trust: CertificateTrust, timeouts: OutboundTimeouts = .init(connect: 5, total: 10),
        responseSizeLimit: Int = 1 << 20, allowsPlainHTTPToLoopback: Bool = false
    ) {
        self.trust = trust
        self.timeouts = timeouts
        self.responseSizeLimit = responseSizeLimit
        self.allowsPlainHTTPToLoopback = allowsPlainHTTPToLoopback
    }

    public func get(_ url: String, headers: [(name: String, value: String)] = []) throws(HTTPSClientError) -> HTTPSResponse {
        try perform(url, headers: headers) { easy in
            easy.set(CURLOPT_HTTPGET, 1)
        }
    }

    /// POSTs `form` as `application/x-www-form-urlencoded` (RFC 6749 Appendix B).
    public func post(
        _ url: String, form: [(name: String, value: String)], headers: [(name: String, value: String)] = []
    ) throws(HTTPSClientError) -> HTTPSResponse {
        try post(url, body: Array(FormURLEncoding.encode(form).utf8), contentType: "application/x-www-form-urlencoded", headers: headers)
    }

    public func post(
        _ url: String, body: [UInt8], contentType: String, headers: [(name: String, value: String)] = []
    ) throws(HTTPSClientError) -> HTTPSResponse {
        try perform(url, headers: [("Content-Type", contentType)] + headers) { easy in
            easy.set(CURLOPT_POST, 1)
            easy.set(CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(body.count))
            // COPYPOSTFIELDS copies POSTFIELDSIZE bytes, NULs included, so `body` need not outlive
            // this call. The extra NUL, never sent, gives an empty body an address too.
            (body + [0]).withUnsafeBytes { easy.set(CURLOPT_COPYPOSTFIELDS, pointer: UnsafeMutableRawPointer(mutating: $0.baseAddress)) }
        }
    }

    private func perform(
        _ url: String, headers: [(name: String, value: String)], configure: (CurlEasy) -> Void
    ) throws(HTTPSClientError) -> HTTPSResponse {
        let protocols = try allowedProtocols(for: url)
        let headerLines = try Self.headerLines(headers)
        return try handles.withHandle { easy throws(HTTPSClientError) in
            easy.set(CURLOPT_URL, url)
            easy.set(CURLOPT_PROTOCOLS_STR, protocols)
            easy.set(CURLOPT_FOLLOWLOCATION, 0)
            trust.apply(to: easy)
            timeouts.apply(to: easy)
            easy.set(CURLOPT_USERAGENT, "authserver")
            easy.set(CURLOPT_HTTPHEADER, list: headerLines)
            configure(easy)
            let collector = easy.collectResponse(limit: responseSizeLimit)
            do throws(CurlFailure) {
                try easy.perform()
            } catch {
                throw HTTPSClientError(error, collector: collector, limit: responseSizeLimit)
            }
            return HTTPSResponse(status: easy.responseCode, headers: collector.headers, body: collector.body)
        }
    }

    /// What CURLOPT_PROTOCOLS_STR allows for `url`: libcurl then refuses anything else itself.
    private func allowedProtocols(for url: String) throws(HTTPSClientError) -> String {
        guard let parsed = CurlURL(url) else { throw .invalidURL("libcurl cannot parse it") }
        guard parsed.user == nil, parsed.password == nil else { throw .invalidURL("credentials in the URL") }
        switch parsed.scheme {
        case "https": return "https"
        case "http" where allowsPlainHTTPToLoopback && parsed.hasLoopbackHost: return "http"
        default: throw .protocolRefused(scheme: parsed.scheme)
        }
    }

    /// `Name: value` lines. libcurl sends them as given, so a CR or LF would add headers or end
    /// the request early (request splitting). `Expect:` turns off libcurl's
    /// `Expect: 100-continue`, a round trip some servers answer only after a delay.
    private static func headerLines(_ headers: [(name: String, value: String)]) throws(HTTPSClientError) -> [String] {
        let tokenSymbols = Set("!#$%&'*+-.^_`|~".utf8)
        var lines = ["Expect:"]
        for (name, value) in headers {
            let nameIsToken = !name.isEmpty && name.utf8.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || tokenSymbols.contains(byte)
            }
            guard nameIsToken, !value.utf8.contains(where: { $0 == 13 || $0 == 10 || $0 == 0 }) else {
                throw .invalidHeader(name: name)
            }
            lines.append("\(name): \(value)")
        }
        return lines
    }
}
