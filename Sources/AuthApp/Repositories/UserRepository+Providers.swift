import FoundationEssentials
import PostgresClient

extension UserRepository {
    /// The account with `email`, locked until the transaction ends, for linking a provider.
    func lock(email: String, on transaction: PostgresTransaction) async throws -> User? {
        try await transaction.query("SELECT \(User.columns) FROM users WHERE email = $1 FOR UPDATE", [.text(email)])
            .rows.first.map(User.init(row:))
    }

    /// A provider proved the mailbox of an account whose own email was never verified: whoever
    /// set its password did not prove they own the address, so the password goes, and the
    /// address counts as verified.
    func removePasswordAndVerify(id: UUID, on transaction: PostgresTransaction) async throws {
        _ = try await transaction.query("""
            UPDATE users SET password_hash = NULL, email_verified = true, updated_at = now() WHERE id = $1
            """, [.uuid(id)])
    }

    func recordProviderLogin(id: UUID, on transaction: PostgresTransaction) async throws -> User {
        try User(row: try await transaction.query("UPDATE users SET last_login_at = now() WHERE id = $1 RETURNING \(User.columns)",
                                                  [.uuid(id)]).rows[0])
    }
}
