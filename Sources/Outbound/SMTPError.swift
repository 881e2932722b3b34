/// Why a message was not delivered, and whether a later attempt can do better.
///
/// The classification follows the reply codes of RFC 5321 §4.2.1: a 5yz reply is a permanent
/// refusal, so the same message would be refused again and must not be retried; anything else (a
/// 4yz reply, no connection, a TLS failure, a timeout) may pass later. That includes a wrong
/// password: `535` (RFC 4954 §6) is permanent like any 5yz, but it says nothing about the message,
/// so a sender seeing `stage == .authentication` (or `.connection`) should suspect its
/// configuration rather than give up on the message alone.
///
/// After a timeout while the message was being accepted (`stage == .data`), the server may have
/// taken it: a retry can deliver it twice. Delivery is at least once.
public struct SMTPError: Error, Sendable, CustomStringConvertible {
    /// Where the dialogue stopped.
    public enum Stage: String, Sendable {
        /// Connecting, TLS, the greeting or EHLO: nothing about this message was said yet.
        case connection
        /// AUTH (RFC 4954).
        case authentication
        /// MAIL FROM: the envelope sender.
        case sender
        /// RCPT TO: a recipient.
        case recipient
        /// DATA, the message itself, and the server's verdict on it.
        case data
    }

    /// The code of the server's refusal (4yz or 5yz), nil when the server refused nothing (no
    /// connection, TLS failure, timeout...).
    public let replyCode: Int?
    public let stage: Stage
    /// A short account: libcurl's reason, then the server's reply when it refused. Never holds
    /// a credential.
    public let reason: String

    /// True for a 5yz refusal: do not retry this message.
    public var isPermanent: Bool {
        replyCode.map { (500..<600).contains($0) } ?? false
    }

    public var description: String {
        "SMTP \(isPermanent ? "permanent" : "transient") failure at \(stage.rawValue): \(reason)"
    }

    init(_ failure: CurlFailure, dialogue: SMTPDialogue, responseCode: Int) {
        replyCode = (400..<600).contains(responseCode) ? responseCode : nil
        stage = switch dialogue.refusal?.command ?? dialogue.lastCommand {
        case "AUTH": .authentication
        case "MAIL": .sender
        case "RCPT": .recipient
        case "DATA": .data
        default: .connection
        }
        if let refusal = dialogue.refusal {
            reason = "\(failure.message); server said: \(refusal.reply)"
        } else {
            reason = failure.message
        }
    }
}
