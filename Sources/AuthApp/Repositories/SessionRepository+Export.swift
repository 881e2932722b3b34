import JSON
import FoundationEssentials
import PostgresClient

extension SessionRepository {
    /// A session as the account's export shows it: ended ones too, never a token.
    struct SessionRecord: JSONWritable {
        let id: UUID
        let userAgent: String?
        let ip: String?
        let createdAt: Date
        let lastUsedAt: Date
        let expiresAt: Date
        let revokedAt: Date?
        let revokedReason: String?

        func write(to json: inout JSONWriter) {
            json.beginObject()
            json.member("id", id.lowercasedText)
            json.member("userAgent", userAgent)
            json.member("ip", ip)
            json.member("createdAt", createdAt)
            json.member("lastUsedAt", lastUsedAt)
            json.member("expiresAt", expiresAt)
            json.member("revokedAt", revokedAt)
            json.member("revokedReason", revokedReason)
            json.endObject()
        }
    }

    /// Every session the user ever had that is still stored, newest first.
    func all(userID: UUID, on database: some SQLRunner) async throws -> [SessionRecord] {
        try await database.query("""
            SELECT id, user_agent, ip, created_at, last_used_at, expires_at, revoked_at, revoked_reason FROM sessions
            WHERE user_id = $1 ORDER BY created_at DESC, id DESC
            """, [.uuid(userID)]).rows.map { row in
            SessionRecord(id: try row.uuid("id"), userAgent: try row.optionalString("user_agent"), ip: try row.optionalString("ip"),
                          createdAt: try row.date("created_at"), lastUsedAt: try row.date("last_used_at"),
                          expiresAt: try row.date("expires_at"), revokedAt: try row.optionalDate("revoked_at"),
                          revokedReason: try row.optionalString("revoked_reason"))
        }
    }
}
