import FoundationEssentials

/// A Swift type that converts to a statement parameter, so `PostgresValue(optionalValue)` works.
/// Conform an app type (an enum stored as text, say) to pass it directly.
public protocol PostgresEncodable {
    var postgresValue: PostgresValue { get }
}

/// A Swift type that a result column decodes into from PostgreSQL's text format.
public protocol PostgresDecodable {
    /// Names the expected type in decoding errors.
    static var postgresTypeName: String { get }
    /// nil when the text is not a value of this type.
    init?(postgresText: String)
    /// The same from the value's UTF-8 bytes, valid only during the call. The default makes a
    /// `String` and calls `init?(postgresText:)`; the built-in types read the bytes directly.
    init?(postgresBytes: UnsafeRawBufferPointer)
}

extension PostgresDecodable {
    public init?(postgresBytes: UnsafeRawBufferPointer) {
        self.init(postgresText: String(decoding: postgresBytes, as: UTF8.self))
    }
}

public typealias PostgresCodable = PostgresEncodable & PostgresDecodable

extension String: PostgresCodable {
    public var postgresValue: PostgresValue { .text(self) }
    public static var postgresTypeName: String { "text" }
    public init?(postgresText: String) { self = postgresText }
    public init?(postgresBytes: UnsafeRawBufferPointer) { self.init(decoding: postgresBytes, as: UTF8.self) }
}

extension Int: PostgresCodable {
    public var postgresValue: PostgresValue { .int(self) }
    public static var postgresTypeName: String { "integer" }
    public init?(postgresText: String) { self.init(postgresText) }

    /// Decimal digits with an optional minus, as the server prints smallint, integer and bigint.
    public init?(postgresBytes bytes: UnsafeRawBufferPointer) {
        let negative = bytes.first == UInt8(ascii: "-")
        let digits = negative ? bytes.dropFirst() : bytes[...]
        guard !digits.isEmpty, digits.count <= 19 else { return nil }
        // Accumulate negatively: Int.min has no positive counterpart.
        var value = 0
        for digit in digits {
            guard digit >= 0x30 && digit <= 0x39 else { return nil }
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowB) = shifted.subtractingReportingOverflow(Int(digit &- 0x30))
            guard !overflowA && !overflowB else { return nil }
            value = next
        }
        if negative {
            self = value
        } else {
            guard value != .min else { return nil }
            self = -value
        }
    }
}

extension Bool: PostgresCodable {
    public var postgresValue: PostgresValue { .bool(self) }
    public static var postgresTypeName: String { "boolean" }
    public init?(postgresText: String) {
        switch postgresText {
        case "t": self = true
        case "f": self = false
        default: return nil
        }
    }

    public init?(postgresBytes bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 1 else { return nil }
        switch bytes[0] {
        case UInt8(ascii: "t"): self = true
        case UInt8(ascii: "f"): self = false
        default: return nil
        }
    }
}

extension Double: PostgresCodable {
    public var postgresValue: PostgresValue { .double(self) }
    public static var postgresTypeName: String { "double precision" }
    /// Also reads PostgreSQL's `Infinity`, `-Infinity` and `NaN`, as Swift's parser does.
    public init?(postgresText: String) { self.init(postgresText) }
}

extension UUID: PostgresCodable {
    public var postgresValue: PostgresValue { .uuid(self) }
    public static var postgresTypeName: String { "uuid" }
    public init?(postgresText: String) { self.init(canonicalText: postgresText) }
    public init?(postgresBytes: UnsafeRawBufferPointer) { self.init(canonicalBytes: postgresBytes) }
}

extension Date: PostgresCodable {
    public var postgresValue: PostgresValue { .date(self) }
    public static var postgresTypeName: String { "timestamptz" }
    public init?(postgresText: String) {
        guard let date = PostgresTimestamp.parse(postgresText) else { return nil }
        self = date
    }

    public init?(postgresBytes: UnsafeRawBufferPointer) {
        guard let date = PostgresTimestamp.parse(postgresBytes) else { return nil }
        self = date
    }
}

extension Array: PostgresEncodable, PostgresDecodable where Element == UInt8 {
    public var postgresValue: PostgresValue { .bytes(self) }
    public static var postgresTypeName: String { "bytea" }
    public init?(postgresText: String) {
        guard let bytes = PostgresBytea.parse(Array(postgresText.utf8)) else { return nil }
        self = bytes
    }

    public init?(postgresBytes: UnsafeRawBufferPointer) {
        guard let bytes = PostgresBytea.parse(postgresBytes) else { return nil }
        self = bytes
    }
}
