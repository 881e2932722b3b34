import Foundation
import HTTPServer

extension HTTPRequest {
    /// The JSON body as `T`. A missing field or a wrong type is a 400 `VALIDATION_FAILED` naming
    /// the field. An empty body decodes as `{}` when `T` has no required fields.
    func decodeJSON<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: body.isEmpty ? Data("{}".utf8) : Data(body))
        } catch let error as DecodingError {
            throw HTTPError.validation(HTTPRequest.fieldError(for: error))
        }
    }

    private static func fieldError(for error: DecodingError) -> HTTPError.FieldError {
        func path(_ context: DecodingError.Context, _ key: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (key.map { [$0] } ?? [])
            let name = keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return name.isEmpty ? "body" : name
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .init(field: path(context, key), message: "is required")
        case .valueNotFound(_, let context):
            return .init(field: path(context), message: "must not be null")
        case .typeMismatch(let type, let context):
            return .init(field: path(context), message: "must be \(describe(type))")
        case .dataCorrupted(let context):
            return .init(field: path(context), message: "is malformed")
        @unknown default:
            return .init(field: "body", message: "is malformed")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "a boolean"
        case is Int.Type, is Double.Type: return "a number"
        default: return "of another type"
        }
    }
}

extension HTTPError {
    static func validation(_ errors: [FieldError]) -> HTTPError {
        HTTPError(.badRequest, code: "VALIDATION_FAILED", message: "Validation failed: " +
                  errors.map { "\($0.field) \($0.message)" }.joined(separator: "; "), fieldErrors: errors)
    }

    static func validation(_ error: FieldError) -> HTTPError {
        validation([error])
    }
}
