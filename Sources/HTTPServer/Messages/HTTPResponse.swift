/// A response as handlers build it; the connection adds framing (`Content-Length`, `Date`,
/// `Connection`) when it encodes it.
public struct HTTPResponse: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response (`application/json; charset=utf-8`).
    public init<Body: Encodable>(status: HTTPStatus = .ok, json: Body, headers: HTTPHeaders = HTTPHeaders()) {
        self.init(status: status, headers: headers, body: (try? JSONBodyEncoder.encode(json)) ?? Array("{}".utf8))
        self.headers.replaceOrAdd(name: "Content-Type", value: "application/json; charset=utf-8")
    }

    public init(status: HTTPStatus = .ok, contentType: String, text: String) {
        self.init(status: status, body: Array(text.utf8))
        headers.replaceOrAdd(name: "Content-Type", value: contentType)
    }
}
