import JSON
import HTTPServer

/// An error as the contract shows it to clients: a status, a machine-readable code, a human
/// message, and for validation the fields at fault. Rendered as
/// `{"success":false,"message":...,"code":...,"errors":[...]}` in one place, `ErrorMiddleware`.
struct APIError: Error, Sendable {
    struct FieldError: Sendable, Equatable {
        let field: String
        let message: String
    }

    var status: HTTPStatus
    var code: String
    var message: String
    var headers: [(String, String)] = []
    var fieldErrors: [FieldError] = []

    init(_ status: HTTPStatus, code: String, message: String, headers: [(String, String)] = [], fieldErrors: [FieldError] = []) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
        self.fieldErrors = fieldErrors
    }

    static func validation(_ errors: [FieldError]) -> APIError {
        APIError(.badRequest, code: "VALIDATION_FAILED",
                 message: "Validation failed: " + errors.map { "\($0.field) \($0.message)" }.joined(separator: "; "),
                 fieldErrors: errors)
    }

    static func validation(field: String, _ message: String) -> APIError {
        validation([FieldError(field: field, message: message)])
    }
}

/// A domain error (a repository's, a policy's) that knows how the contract shows it; the
/// mapping lives with each error type, the rendering in `ErrorMiddleware`.
protocol APIErrorConvertible: Error {
    var apiError: APIError { get }
}

extension APIError: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.member("success", false)
        json.member("message", message)
        json.member("code", code)
        if !fieldErrors.isEmpty {
            json.name("errors")
            json.beginArray()
            for error in fieldErrors {
                json.beginObject()
                json.member("field", error.field)
                json.member("message", error.message)
                json.endObject()
            }
            json.endArray()
        }
        json.endObject()
    }

    var response: HTTPResponse {
        var response = HTTPResponse.json(self, status: status)
        for (name, value) in headers { response.headers.add(name, value) }
        return response
    }
}
