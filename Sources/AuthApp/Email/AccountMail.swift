import Foundation
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
        return try await tokens.issue(.verification, hash: token.hash, lifetime: settings.verificationTTL, accountEmail: email,
                                      template: .verification,
                                      values: .init(link: link("verify-email", token), validFor: settings.verificationTTL), on: transaction)
    }

    /// A reset link to the active account with address `email`; nil (and nothing queued, at
    /// the same cost) when there is none.
    func queuePasswordReset(to email: String, on transaction: PostgresTransaction) async throws -> UUID? {
        let token = EmailToken.generate()
        return try await tokens.issue(.passwordReset, hash: token.hash, lifetime: settings.passwordResetTTL, accountEmail: email,
                                      template: .passwordReset,
                                      values: .init(link: link("reset-password", token), validFor: settings.passwordResetTTL), on: transaction)
    }

    /// A confirmation link to `newEmail`, and a notice without a link to the current address.
    func queueEmailChange(for user: User, to newEmail: String, on transaction: PostgresTransaction) async throws {
        let token = EmailToken.generate()
        try await tokens.issue(.emailChange, hash: token.hash, lifetime: settings.verificationTTL, accountEmail: user.email, recipient: newEmail,
                               template: .emailChange,
                               values: .init(link: link("confirm-email", token), newEmail: newEmail, validFor: settings.verificationTTL),
                               on: transaction)
        try await outbox.enqueue(userID: user.id, template: .emailChangeNotice, recipient: user.email,
                                 values: .init(name: user.name, email: user.email, newEmail: newEmail), on: transaction)
    }

    func queued() {
        sender.wake()
    }

    private func link(_ path: String, _ token: EmailToken) -> String {
        // base64url needs no percent-encoding in a query.
        "\(appURL)/\(path)?token=\(token.value)"
    }
}
