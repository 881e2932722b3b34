import FoundationEssentials
import PostgresClient

/// What the mail flows change on an account.
extension UserRepository {
    /// Sets a new password from a reset link (also for an account that had none) and marks the
    /// address verified: the link proved the mailbox.
    func resetPassword(id: UUID, hash: String, on transaction: PostgresTransaction) async throws -> User? {
        try await transaction.query("""
            UPDATE users SET password_hash = $2, email_verified = true, updated_at = now() WHERE id = $1 RETURNING \(User.columns)
            """, [.uuid(id), .text(hash)]).rows.first.map(User.init(row:))
    }

    func markEmailVerified(id: UUID, on transaction: PostgresTransaction) async throws -> User? {
        try await transaction.query("""
            UPDATE users SET email_verified = true, updated_at = now() WHERE id = $1 RETURNING \(User.columns)
            """, [.uuid(id)]).rows.first.map(User.init(row:))
    }

    /// Moves the account to a confirmed new address; the unique index decides a race with a
    /// registration of the same address (`USER_EXISTS`).
    func changeEmail(id: UUID, to email: String, on transaction: PostgresTransaction) async throws -> User? {
        do {
            return try await transaction.query("""
                UPDATE users SET email = $2, email_verified = true, updated_at = now() WHERE id = $1 RETURNING \(User.columns)
                """, [.uuid(id), .text(email)]).rows.first.map(User.init(row:))
        } catch let error as PostgresError where error.isUniqueViolation {
            throw AuthFailure.userExists
        }
    }

    /// The id of the active account with this address: one index probe, hit or miss alike.
    func activeID(email: String, on database: some SQLRunner) async throws -> UUID? {
        try await database.query("SELECT id FROM users WHERE email = $1 AND is_active", [.text(email)]).rows.first?.uuid("id")
    }

    func exists(email: String, on database: some SQLRunner) async throws -> Bool {
        try await !database.query("SELECT 1 FROM users WHERE email = $1", [.text(email)]).rows.isEmpty
    }
}
