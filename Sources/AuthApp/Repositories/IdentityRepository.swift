import JSON
import FoundationEssentials
import PostgresClient

/// The `identities` table: which provider identities sign in to which account.
struct IdentityRepository: Sendable {
    struct Identity: Sendable, JSONWritable {
        let provider: String
        let email: String?
        let linkedAt: Date

        func write(to json: inout JSONWriter) {
            json.beginObject()
            json.member("provider", provider)
            json.member("email", email)
            json.member("linkedAt", linkedAt)
            json.endObject()
        }
    }

    /// The account that `(provider, subject)` signs in to, locked until the transaction ends.
    func user(provider: String, subject: String, on transaction: PostgresTransaction) async throws -> User? {
        try await transaction.query("""
            SELECT \(User.columns) FROM identities i JOIN users ON users.id = i.user_id
            WHERE i.provider = $1 AND i.subject = $2 FOR UPDATE OF users
            """, [.text(provider), .text(subject)]).rows.first.map(User.init(row:))
    }

    func hasIdentity(userID: UUID, provider: String, on database: some SQLRunner) async throws -> Bool {
        try await !database.query("SELECT 1 FROM identities WHERE user_id = $1 AND provider = $2",
                                  [.uuid(userID), .text(provider)]).rows.isEmpty
    }

    /// Links an identity. A concurrent link of the same identity or of this account to the same
    /// provider loses on the table's unique constraints (a unique violation, retried by the caller).
    func link(userID: UUID, provider: String, subject: String, email: String?, on transaction: PostgresTransaction) async throws {
        _ = try await transaction.query("INSERT INTO identities (user_id, provider, subject, email) VALUES ($1, $2, $3, $4)",
                                        [.uuid(userID), .text(provider), .text(subject), PostgresValue(email)])
    }

    func list(userID: UUID, on database: some SQLRunner) async throws -> [Identity] {
        try await database.query("SELECT provider, email, linked_at FROM identities WHERE user_id = $1 ORDER BY linked_at, provider",
                                 [.uuid(userID)]).rows.map { row in
            Identity(provider: try row.string("provider"), email: try row.optionalString("email"), linkedAt: try row.date("linked_at"))
        }
    }

    /// Unlinks `provider` unless the account would be left without a password and without any
    /// other identity. The user row is locked first, so two unlinks racing (or an unlink racing
    /// a password removal) see each other's outcome.
    func unlink(userID: UUID, provider: String, on transaction: PostgresTransaction) async throws {
        let result = try await transaction.query("""
            SELECT users.password_hash IS NOT NULL AS has_password,
                   (SELECT count(*)::int FROM identities WHERE user_id = users.id) AS identities,
                   EXISTS (SELECT 1 FROM identities WHERE user_id = users.id AND provider = $2) AS linked
            FROM users WHERE id = $1 FOR UPDATE
            """, [.uuid(userID), .text(provider)])
        guard let row = result.rows.first, try row.bool("linked") else { throw IdentityFailure.notLinked }
        guard try row.bool("has_password") || row.int("identities") > 1 else { throw IdentityFailure.lastSignInMethod }
        _ = try await transaction.query("DELETE FROM identities WHERE user_id = $1 AND provider = $2", [.uuid(userID), .text(provider)])
    }
}
