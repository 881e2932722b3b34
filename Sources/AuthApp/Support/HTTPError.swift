/// The one error type that becomes an HTTP response: a status, a machine-readable code and a
/// human message, rendered as `{"success":false,"message":...,"code":...}` in one place.
public struct HTTPError: Error, Sendable {
    public struct FieldError: Sendable, Encodable, Equatable {
        public let field: String
        public let message: String
        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    public var status: HTTPStatus
    public var code: String
    public var message: String
    public var headers: HTTPHeaders
    public var fieldErrors: [FieldError]

    public init(_ status: HTTPStatus, code: String, message: String, headers: HTTPHeaders = HTTPHeaders(), fieldErrors: [FieldError] = []) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
        self.fieldErrors = fieldErrors
    }

    public var response: HTTPResponse {
        HTTPResponse(
            status: status,
            json: Body(message: message, code: code, errors: fieldErrors.isEmpty ? nil : fieldErrors),
            headers: headers
        )
    }

    private struct Body: Encodable {
        let success = false
        let message: String
        let code: String
        let errors: [FieldError]?
    }
}

extension HTTPError {
    public static func notFound(_ message: String = "No such resource") -> HTTPError {
        HTTPError(.notFound, code: "NOT_FOUND", message: message)
    }

    public static func methodNotAllowed(allowed: [HTTPMethod]) -> HTTPError {
        let allow = allowed.map(\.rawValue).joined(separator: ", ")
        return HTTPError(.methodNotAllowed, code: "METHOD_NOT_ALLOWED", message: "Allowed methods: \(allow)",
                         headers: HTTPHeaders([("Allow", allow)]))
    }

    /// A bounded queue is full: the client should come back shortly.
    public static func overloaded(retryAfterSeconds: Int = 1) -> HTTPError {
        HTTPError(.serviceUnavailable, code: "SERVER_BUSY", message: "The server is busy; retry shortly",
                  headers: HTTPHeaders([("Retry-After", String(retryAfterSeconds))]))
    }

    public static func internalError(requestID: String) -> HTTPError {
        HTTPError(.internalServerError, code: "INTERNAL_ERROR", message: "Internal server error (request \(requestID))")
    }

    /// The client took longer than `HEADER_TIMEOUT` to send its request.
    public static let requestTimeout = HTTPError(.requestTimeout, code: "REQUEST_TIMEOUT", message: "The request took too long to arrive")

    /// Maps a parser rejection to its status; the connection closes after it.
    public static func malformed(_ error: HTTPParseError) -> HTTPError {
        let code: String
        switch error.status {
        case 413: code = "PAYLOAD_TOO_LARGE"
        case 414: code = "URI_TOO_LONG"
        case 417: code = "EXPECTATION_FAILED"
        case 431: code = "HEADERS_TOO_LARGE"
        case 501: code = "NOT_IMPLEMENTED"
        case 505: code = "HTTP_VERSION_NOT_SUPPORTED"
        default: code = "BAD_REQUEST"
        }
        return HTTPError(HTTPStatus(error.status), code: code, message: error.reason)
    }
}
