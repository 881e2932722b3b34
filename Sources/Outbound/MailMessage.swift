import FoundationEssentials

/// One email with a plain-text and an HTML alternative, rendered as RFC 5322 bytes: a
/// `multipart/alternative` MIME message (RFC 2045, RFC 2046 §5.1.4) in UTF-8, both parts
/// quoted-printable, CRLF line endings, no line over 998 octets.
///
/// The bytes are made once, here: Date, Message-ID and boundary are fixed with them, so sending
/// the same value again (a retry) sends the same message.
///
/// ```swift
/// let message = try MailMessage(
///     from: try MailAddress(parsing: "authserver <no-reply@localhost>"),
///     to: try MailAddress(user.email),
///     subject: "Reset your password",
///     text: "Open \(link) to choose a new password.",
///     html: "<p><a href=\"\(HTML.escape(link))\">Choose a new password</a></p>")
/// ```
public struct MailMessage: Sendable {
    public let from: MailAddress
    public let to: MailAddress
    public let subject: String
    /// Unique worldwide: random, then `@` and the From domain (RFC 5322 §3.6.4), without the
    /// angle brackets of the header.
    public let messageID: String
    /// The whole message, headers and body, as SMTP sends it.
    public let bytes: [UInt8]

    /// Fails when `subject` holds a line break or another control character (header injection).
    ///
    /// `messageIDLocalPart` is the Message-ID before its `@` (letters, digits, `.`, `-`, `_`),
    /// random when nil. A sender that may build the same message again, for a retry, passes a
    /// fixed one: receivers that see two copies can tell they are one message (RFC 5322 §3.6.4).
    public init(from: MailAddress, to: MailAddress, subject: String, text: String, html: String, date: Date = Date(),
                messageIDLocalPart: String? = nil) throws(MailMessageError)
    {
        guard subject.isSafeHeaderText else { throw .invalidHeaderValue(field: "Subject") }
        if let messageIDLocalPart {
            let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_".utf8)
            guard !messageIDLocalPart.isEmpty, messageIDLocalPart.utf8.allSatisfy(allowed.contains) else {
                throw .invalidHeaderValue(field: "Message-ID")
            }
        }
        self.from = from
        self.to = to
        self.subject = subject
        messageID = "\(messageIDLocalPart ?? RandomToken.hex(byteCount: 16))@\(from.domain)"
        // "=_" cannot occur in quoted-printable text, where "=" always starts a hex pair or a
        // soft break: the boundary never appears in a body (RFC 2046 §5.1.1 requires that).
        let boundary = "=_\(RandomToken.hex(byteCount: 16))"

        let headers = [
            HeaderField.structured("Date", MailDate.format(date)),
            HeaderField.address("From", from),
            HeaderField.address("To", to),
            HeaderField.unstructured("Subject", subject),
            HeaderField.structured("Message-ID", "<\(messageID)>"),
            HeaderField.structured("MIME-Version", "1.0"),
            HeaderField.structured("Content-Type", "multipart/alternative; boundary=\"\(boundary)\""),
        ].joined()
        var bytes = Array(headers.utf8)
        bytes += Array("\r\n".utf8)
        // Plain text first: RFC 2046 §5.1.4 puts the richest alternative, which readers prefer, last.
        for (type, body) in [("text/plain", text), ("text/html", html)] {
            bytes += Array("--\(boundary)\r\n".utf8)
            bytes += Array(HeaderField.structured("Content-Type", "\(type); charset=utf-8").utf8)
            bytes += Array(HeaderField.structured("Content-Transfer-Encoding", "quoted-printable").utf8)
            bytes += Array("\r\n".utf8)
            bytes += QuotedPrintable.encode(body)
            // The CRLF before a boundary belongs to the boundary (RFC 2046 §5.1.1).
            bytes += Array("\r\n".utf8)
        }
        bytes += Array("--\(boundary)--\r\n".utf8)
        self.bytes = bytes
    }
}
