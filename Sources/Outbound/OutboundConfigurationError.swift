/// A setting that cannot work (`SMTP_URL`, `EXTRA_CA_FILE`...), found when the transport or
/// client is made, so the server fails at start rather than at its first message.
///
/// The description never holds a password.
public struct OutboundConfigurationError: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
