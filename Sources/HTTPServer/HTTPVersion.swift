/// The HTTP versions this server speaks; any other version is refused with 505 by the parser.
public enum HTTPVersion: Sendable, CustomStringConvertible {
    case http1_0
    case http1_1

    /// The protocol version as written on the wire, e.g. "HTTP/1.1".
    public var description: String {
        switch self {
        case .http1_0: "HTTP/1.0"
        case .http1_1: "HTTP/1.1"
        }
    }
}
