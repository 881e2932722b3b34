import FoundationEssentials
import HTTPServer

/// A request's query string with typed readers that collect every problem, like `RequestBody`:
/// a bad filter, limit or cursor is a 400 `VALIDATION_FAILED` naming the parameter. Parameters
/// a route does not read are ignored, as browsers and proxies add their own.
struct QueryParameters {
    private let values: [String: String]
    private(set) var errors: [APIError.FieldError] = []

    init(_ request: HTTPRequest) {
        values = request.queryParameters
    }

    /// A trimmed string; empty reads as absent.
    mutating func string(_ name: String, maximumLength: Int) -> String? {
        guard let value = values[name]?.trimmingWhitespace(), !value.isEmpty else { return nil }
        guard value.count <= maximumLength else { return fail(name, "must be at most \(maximumLength) characters") }
        return value
    }

    /// A value that `parse` accepts, or a problem naming what was `expected`.
    mutating func choice<Value>(_ name: String, expected: String, _ parse: (String) -> Value?) -> Value? {
        guard let text = values[name] else { return nil }
        guard let value = parse(text) else { return fail(name, "must be \(expected)") }
        return value
    }

    mutating func bool(_ name: String) -> Bool? {
        choice(name, expected: "true or false") { ["true": true, "false": false][$0] }
    }

    /// A page size in `range`, `defaultValue` when absent.
    mutating func limit(default defaultValue: Int, in range: ClosedRange<Int>) -> Int {
        choice("limit", expected: "a whole number from \(range.lowerBound) to \(range.upperBound)") { text in
            Int(text).flatMap { range.contains($0) ? $0 : nil }
        } ?? defaultValue
    }

    /// The `cursor` a previous page handed out.
    mutating func cursor(validKey: (String) -> Bool) -> KeysetCursor? {
        choice("cursor", expected: "the nextCursor of a previous page") { KeysetCursor(decoding: $0, validKey: validKey) }
    }

    func validate() throws {
        guard errors.isEmpty else { throw APIError.validation(errors) }
    }

    private mutating func fail<T>(_ name: String, _ message: String) -> T? {
        errors.append(APIError.FieldError(field: name, message: message))
        return nil
    }
}
