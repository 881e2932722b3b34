/// A request method: a case-sensitive token (RFC 9110 §9.1).
///
/// Any token is accepted by the parser; the router decides between 405 and 501 for methods it
/// does not serve.
public struct HTTPMethod: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public static let GET = HTTPMethod(rawValue: "GET")
    public static let HEAD = HTTPMethod(rawValue: "HEAD")
    public static let POST = HTTPMethod(rawValue: "POST")
    public static let PUT = HTTPMethod(rawValue: "PUT")
    public static let PATCH = HTTPMethod(rawValue: "PATCH")
    public static let DELETE = HTTPMethod(rawValue: "DELETE")
    public static let OPTIONS = HTTPMethod(rawValue: "OPTIONS")

    /// The methods of RFC 9110 §9 and PATCH (RFC 5789): anything else is an arbitrary token a
    /// client chose, which metrics must not turn into a label of its own.
    public var isStandard: Bool {
        switch rawValue {
        case "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE": true
        default: false
        }
    }

    public var description: String { rawValue }
}
