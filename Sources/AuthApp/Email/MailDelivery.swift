import FoundationEssentials
import Logging
import Outbound

/// A message as the sender hands it over: rendered, with what it needs to be built and logged.
struct OutgoingMail: Sendable {
    /// The outbox row's: also the Message-ID's local part, the same on every attempt.
    let id: UUID
    let template: MailTemplate
    let recipient: String
    let rendered: MailTemplate.Rendered
    let link: String?
    /// When it was queued: its Date header.
    let queuedAt: Date
}

/// Why a delivery failed, and whether trying again can help.
struct MailDeliveryFailure: Error, Sendable {
    /// A refusal of this message (an SMTP 5yz to its sender, recipient or data), or a message
    /// that cannot be built: never retried.
    let isPermanent: Bool
    /// For the log and the outbox row; never a credential.
    let reason: String
}

/// Where the sender hands messages. `deliver` blocks: the sender runs it on its own pool.
protocol MailDelivery: Sendable {
    func deliver(_ mail: OutgoingMail) throws(MailDeliveryFailure)
}

/// Delivery to the SMTP server of `SMTP_URL`.
struct SMTPMailDelivery: MailDelivery {
    let transport: SMTPTransport
    let from: MailAddress

    func deliver(_ mail: OutgoingMail) throws(MailDeliveryFailure) {
        let message: MailMessage
        do {
            message = try MailMessage(from: from, to: MailAddress(mail.recipient), subject: mail.rendered.subject, text: mail.rendered.text,
                                      html: mail.rendered.html, date: mail.queuedAt, messageIDLocalPart: mail.id.lowercasedText)
        } catch {
            throw MailDeliveryFailure(isPermanent: true, reason: error.description)
        }
        do {
            try transport.send(message)
        } catch {
            // A 5yz to AUTH (a wrong password) or before any command says nothing about this
            // message (SMTPError's notes): it is kept and retried while the operator fixes SMTP_URL.
            let aboutTheMessage = error.stage != .authentication && error.stage != .connection
            throw MailDeliveryFailure(isPermanent: error.isPermanent && aboutTheMessage, reason: error.description)
        }
    }
}

/// Development and test without `SMTP_URL`: each message goes to the log, link included, so a
/// developer can follow it. Never used in production, where a link in the log would let anyone
/// who reads the log take over the account.
struct LoggedMailDelivery: MailDelivery {
    let logger: Logger

    func deliver(_ mail: OutgoingMail) throws(MailDeliveryFailure) {
        var metadata: Logger.Metadata = ["to": "\(mail.recipient)", "template": "\(mail.template.rawValue)", "subject": "\(mail.rendered.subject)"]
        if let link = mail.link { metadata["link"] = "\(link)" }
        logger.notice("mail (SMTP_URL is unset, so it is logged instead of sent)", metadata: metadata)
    }
}
