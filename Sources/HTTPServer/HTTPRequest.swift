/// One complete request: its head and its decoded body.
public struct HTTPRequest: Sendable, Equatable {
    public var method: HTTPMethod
    /// The request-target as received: origin-form ("/path?query"), or "*" for OPTIONS.
    public var target: String
    /// The target up to its first "?", not percent-decoded.
    public var path: String
    /// The target after its first "?" (possibly empty), or nil when it has none.
    public var query: String?
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Whether the connection stays open after the response (RFC 9112 §9.3).
    public var keepAlive: Bool

    /// Builds a request, splitting `target` into `path` and `query`.
    public init(
        method: HTTPMethod,
        target: String,
        version: HTTPVersion = .http1_1,
        headers: HTTPHeaders = HTTPHeaders(),
        body: [UInt8] = [],
        keepAlive: Bool = true
    ) {
        self.method = method
        self.target = target
        if let questionMark = target.utf8.firstIndex(of: UInt8(ascii: "?")) {
            path = String(target[..<questionMark])
            query = String(target[target.utf8.index(after: questionMark)...])
        } else {
            path = target
            query = nil
        }
        self.version = version
        self.headers = headers
        self.body = body
        self.keepAlive = keepAlive
    }
}
