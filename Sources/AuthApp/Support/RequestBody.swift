import HTTPServer
import JSON

/// A request's JSON body, parsed once by the handler that needs it, with typed readers that
/// collect every field error: a missing field, `null` where a value is required, or a value of
/// the wrong type is a 400 `VALIDATION_FAILED` naming the field.
///
/// ```swift
/// var body = try RequestBody(request)
/// let email = body.string("email")
/// let name = body.optionalString("name")
/// try body.validate()
/// ```
struct RequestBody {
    private let fields: [String: JSONValue]
    private(set) var errors: [APIError.FieldError] = []

    /// An empty body reads as `{}`. A non-empty one must be `application/json` (or `+json`; 415
    /// otherwise) holding one JSON object (400 `INVALID_JSON` otherwise).
    init(_ request: HTTPRequest) throws {
        guard !request.body.isEmpty else {
            fields = [:]
            return
        }
        guard Self.isJSON(request.headers["Content-Type"]) else {
            throw APIError(.unsupportedMediaType, code: "UNSUPPORTED_MEDIA_TYPE", message: "Send the body as application/json")
        }
        do {
            fields = try JSONParser.parseObject(request.body)
        } catch {
            throw APIError(.badRequest, code: "INVALID_JSON", message: "The body is not a JSON object")
        }
    }

    init(fields: [String: JSONValue]) {
        self.fields = fields
    }

    var names: Dictionary<String, JSONValue>.Keys { fields.keys }

    func contains(_ name: String) -> Bool {
        fields[name] != nil
    }

    /// A required string.
    mutating func string(_ name: String) -> String? {
        guard let value = fields[name] else { return fail(name, "is required") }
        guard case .string(let string) = value else { return fail(name, value == .null ? "must not be null" : "must be a string") }
        return string
    }

    /// A string that may be left out; `null` is not a string.
    mutating func optionalString(_ name: String) -> String? {
        guard let value = fields[name] else { return nil }
        guard case .string(let string) = value else { return fail(name, "must be a string") }
        return string
    }

    /// A boolean that may be left out; `null` is not a boolean.
    mutating func optionalBool(_ name: String) -> Bool? {
        guard let value = fields[name] else { return nil }
        guard case .bool(let bool) = value else { return fail(name, "must be a boolean") }
        return bool
    }

    /// A whole number that may be left out.
    mutating func optionalInteger(_ name: String) -> Int? {
        guard let value = fields[name] else { return nil }
        guard case .number(let number) = value, number == number.rounded(), abs(number) < 1e15 else {
            return fail(name, "must be a whole number")
        }
        return Int(number)
    }

    /// For updates: absent (leave as is), `null` (clear), or a string.
    mutating func nullableString(_ name: String) -> FieldUpdate<String> {
        switch fields[name] {
        case nil: return .unchanged
        case .null?: return .cleared
        case .string(let string)?: return .set(string)
        default:
            errors.append(APIError.FieldError(field: name, message: "must be a string or null"))
            return .unchanged
        }
    }

    /// Records a problem found with a field's value after reading it.
    mutating func reject(_ name: String, _ message: String) {
        errors.append(APIError.FieldError(field: name, message: message))
    }

    private mutating func fail<T>(_ name: String, _ message: String) -> T? {
        reject(name, message)
        return nil
    }

    /// Throws every field error recorded so far.
    func validate() throws {
        guard errors.isEmpty else { throw APIError.validation(errors) }
    }

    private static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingBlanks().lowercased() } ?? ""
        return mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json"))
    }
}

/// What an update does to one field.
enum FieldUpdate<Value> {
    case unchanged
    case cleared
    case set(Value)
}
