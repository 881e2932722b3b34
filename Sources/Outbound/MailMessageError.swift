/// A message that cannot be built as asked.
public enum MailMessageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not an address this module sends to (see `MailAddress`).
    case invalidAddress(String)
    /// A header value with CR, LF or another control character. Written out, CR LF would end
    /// the header and let the rest of the value add headers of its own (header injection).
    case invalidHeaderValue(field: String)

    public var description: String {
        switch self {
        case .invalidAddress(let address): "not a valid email address: \(address.debugDescription)"
        case .invalidHeaderValue(let field): "\(field) holds a line break or another control character"
        }
    }
}
