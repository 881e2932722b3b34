import Foundation

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
}

public typealias PostgresCodable = PostgresEncodable & PostgresDecodable

extension String: PostgresCodable {
    public var postgresValue: PostgresValue { .text(self) }
    public static var postgresTypeName: String { "text" }
    public init?(postgresText: String) { self = postgresText }
}

extension Int: PostgresCodable {
    public var postgresValue: PostgresValue { .int(self) }
    public static var postgresTypeName: String { "integer" }
    public init?(postgresText: String) { self.init(postgresText) }
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
    public init?(postgresText: String) { self.init(uuidString: postgresText) }
}

extension Date: PostgresCodable {
    public var postgresValue: PostgresValue { .date(self) }
    public static var postgresTypeName: String { "timestamptz" }
    public init?(postgresText: String) {
        guard let date = PostgresTimestamp.parse(postgresText) else { return nil }
        self = date
    }
}

extension Array: PostgresEncodable, PostgresDecodable where Element == UInt8 {
    public var postgresValue: PostgresValue { .bytes(self) }
    public static var postgresTypeName: String { "bytea" }
    public init?(postgresText: String) {
        guard let bytes = PostgresBytea.parse(postgresText) else { return nil }
        self = bytes
    }
}
