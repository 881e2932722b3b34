/// A parsed JSON value (RFC 8259), as the token parser produces it.
enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    /// JSON does not distinguish integers; claims convert to Int where they need one.
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}
