import Foundation

/// A statement parameter, sent to the server in PostgreSQL's text format.
///
/// ```swift
/// try connection.query(
///     "SELECT id FROM users WHERE email = $1 AND is_active = $2",
///     [.text(email), true]
/// )
/// try connection.query("UPDATE users SET name = $1 WHERE id = $2", [PostgresValue(name), .uuid(id)])
/// ```
public enum PostgresValue: Sendable, Equatable {
    case text(String)
    case int(Int)
    case bool(Bool)
    case double(Double)
    case uuid(UUID)
    /// Sent as ISO 8601 in UTC with microseconds, PostgreSQL's own precision.
    case date(Date)
    /// `bytea`, sent in hex form (`\x0aff`).
    case bytes([UInt8])
    case null

    /// The value, or `.null` when it is nil: for optional columns.
    public init<Value: PostgresEncodable>(_ value: Value?) {
        self = value?.postgresValue ?? .null
    }

    /// The parameter's text form as libpq sends it; nil for SQL NULL.
    var textFormat: String? {
        switch self {
        case .text(let string): return string
        case .int(let int): return String(int)
        case .bool(let bool): return bool ? "t" : "f"
        case .double(let double): return Self.textFormat(of: double)
        case .uuid(let uuid): return uuid.uuidString
        case .date(let date): return PostgresTimestamp.format(date)
        case .bytes(let bytes): return PostgresBytea.format(bytes)
        case .null: return nil
        }
    }

    /// Swift spells the special values `inf` and `nan`; these are PostgreSQL's own spellings.
    private static func textFormat(of double: Double) -> String {
        if double.isNaN { return "NaN" }
        if double.isInfinite { return double < 0 ? "-Infinity" : "Infinity" }
        return double.description
    }
}

extension PostgresValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
}

extension PostgresValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self = .int(value) }
}

extension PostgresValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension PostgresValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension PostgresValue: ExpressibleByNilLiteral {
    public init(nilLiteral: ()) { self = .null }
}
