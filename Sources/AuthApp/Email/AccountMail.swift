import FoundationEssentials
import PostgresClient

/// The mail of each flow, queued with the token it carries on the caller's transaction. Once
/// the caller has committed, `queued()` wakes this instance's sender (never before: the sender
/// would not see the rows yet, and a transaction body may run twice).
struct AccountMail: Sendable {
    let tokens: EmailTokenRepository
    let outbox: OutboxRepository
    let settings: EmailSettings
    /// The frontend's base URL: links are `APP_URL/<path>?token=...`.
    let appURL: String
    let sender: MailSender

    /// A verification link to the address of the active account `email`; the account's id,
    /// nil when there is none.
    @discardableResult
    func queueVerification(to email: String, on transaction: PostgresTransaction) async throws -> UUID? {
        let token = EmailToken.generate()
        let lifetime = settings.lifetime(of: .verification)
        return try await tokens.issue(.verification, hash: token.hash, lifetime: lifetime, accountEmail: email, template: .verification,
                                      values: .init(link: token.link(.verification, appURL: appURL), validFor: lifetime), on: transaction)
    }

    /// A reset of the account with address `email`, if there is one: the one row written is the
    /// same either way (see `email_outbox.token_kind`); the sender issues the token.
    func queuePasswordReset(to email: String, on transaction: PostgresTransaction) async throws {
        try await outbox.enqueue(userID: nil, template: .passwordReset, recipient: email, values: .init(), tokenKind: .passwordReset,
                                 on: transaction)
    }

    /// A confirmation link to `newEmail`, and a notice without a link to the current address.
    func queueEmailChange(for user: User, to newEmail: String, on transaction: PostgresTransaction) async throws {
        let token = EmailToken.generate()
        let lifetime = settings.lifetime(of: .emailChange)
        try await tokens.issue(.emailChange, hash: token.hash, lifetime: lifetime, accountEmail: user.email, recipient: newEmail,
                               template: .emailChange,
                               values: .init(link: token.link(.emailChange, appURL: appURL), newEmail: newEmail, validFor: lifetime),
                               on: transaction)
        try await outbox.enqueue(userID: user.id, template: .emailChangeNotice, recipient: user.email,
                                 values: .init(name: user.name, email: user.email, newEmail: newEmail), on: transaction)
    }

    func queued() {
        sender.wake()
    }
}
