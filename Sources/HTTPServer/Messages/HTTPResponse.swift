/// A response as handlers build it; the connection adds the framing (`Content-Length`, `Date`,
/// `Connection`) when it encodes it.
public struct HTTPResponse: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPResponseHeaders
    public var body: [UInt8]

    public init(status: HTTPStatus = .ok, headers: HTTPResponseHeaders = HTTPResponseHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A body of `contentType` (`application/json; charset=utf-8`, `text/html; charset=utf-8`...).
    public init(status: HTTPStatus = .ok, contentType: String, body: [UInt8]) {
        self.init(status: status, body: body)
        headers.add("Content-Type", contentType)
    }
}
