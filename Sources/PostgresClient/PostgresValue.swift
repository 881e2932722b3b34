import FoundationEssentials

/// A statement parameter, sent to the server in PostgreSQL's text format.
///
/// ```swift
/// try await database.query(
///     "SELECT id FROM users WHERE email = $1 AND is_active = $2",
///     [.text(email), true]
/// )
/// try await database.query("UPDATE users SET name = $1 WHERE id = $2", [PostgresValue(name), .uuid(id)])
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
        var bytes: [UInt8] = []
        guard appendText(to: &bytes) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the text form's UTF-8 bytes; false (appending nothing) for SQL NULL.
    func appendText(to bytes: inout [UInt8]) -> Bool {
        switch self {
        case .text(let string): bytes.append(contentsOf: string.utf8)
        case .int(let int): Self.appendDecimal(int, to: &bytes)
        case .bool(let bool): bytes.append(bool ? UInt8(ascii: "t") : UInt8(ascii: "f"))
        case .double(let double): bytes.append(contentsOf: Self.textFormat(of: double).utf8)
        case .uuid(let uuid): uuid.appendLowercasedText(to: &bytes)
        case .date(let date): PostgresTimestamp.append(date, to: &bytes)
        case .bytes(let data): PostgresBytea.append(data, to: &bytes)
        case .null: return false
        }
        return true
    }

    private static func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        // Work with the magnitude as UInt: Int.min has no positive counterpart.
        let magnitude = value.magnitude
        var divisor: UInt = 1
        while magnitude / divisor >= 10 { divisor *= 10 }
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude / divisor % 10))
            divisor /= 10
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
