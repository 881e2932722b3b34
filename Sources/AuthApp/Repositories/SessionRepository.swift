import JSON
import FoundationEssentials
import PostgresClient

/// `sessions` (one row per login: the token's `sid`) and `refresh_tokens` (one row per issued
/// refresh token, chained by `parent_id` within the session).
struct SessionRepository: Sendable {
    struct Session: JSONWritable {
        let id: UUID
        let userAgent: String?
        let ip: String?
        let createdAt: Date
        let lastUsedAt: Date
        let expiresAt: Date
        let current: Bool

        func write(to json: inout JSONWriter) {
            json.beginObject()
            json.member("id", id.lowercasedText)
            json.member("userAgent", userAgent)
            json.member("ip", ip)
            json.member("createdAt", createdAt)
            json.member("lastUsedAt", lastUsedAt)
            json.member("expiresAt", expiresAt)
            json.member("current", current)
            json.endObject()
        }
    }

    /// A refresh token's row with its session, locked for the rotation decision.
    struct LockedToken {
        let id: UUID
        let sessionID: UUID
        let userID: UUID
        let expired: Bool
        let revoked: Bool
        /// Seconds since this token was rotated, nil if it never was.
        let secondsSinceRotation: Double?
        let sessionRevoked: Bool
        let sessionExpired: Bool
    }

    let refreshTokenTTL: Int
    let sessionMaxLifetime: Int

    /// Starts a login: a session row and its first refresh token.
    func createSession(userID: UUID, userAgent: String?, ip: String, refreshTokenHash: [UInt8],
                       on transaction: PostgresTransaction) async throws -> UUID {
        let session = try await transaction.query("""
            INSERT INTO sessions (user_id, user_agent, ip, expires_at)
            VALUES ($1, $2, $3, now() + make_interval(secs => $4)) RETURNING id
            """, [.uuid(userID), PostgresValue(userAgent.map { String($0.prefix(512)) }), .text(ip), .int(sessionMaxLifetime)])
        let sessionID = try session.rows[0].uuid("id")
        try await insertToken(sessionID: sessionID, parentID: nil, hash: refreshTokenHash, on: transaction)
        return sessionID
    }

    /// Finds a refresh token by its hash and locks it with its session row: concurrent refreshes
    /// of one login, on any instance, take turns here. Both rows are locked so that a waiter
    /// re-reads both after the holder commits (READ COMMITTED re-checks only locked rows).
    func lock(tokenHash: [UInt8], on transaction: PostgresTransaction) async throws -> LockedToken? {
        let result = try await transaction.query("""
            SELECT t.id, t.session_id, s.user_id,
                   t.expires_at <= now() AS expired, t.revoked_at IS NOT NULL AS revoked,
                   extract(epoch FROM now() - t.rotated_at)::float8 AS since_rotation,
                   s.revoked_at IS NOT NULL AS session_revoked, s.expires_at <= now() AS session_expired
            FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
            WHERE t.token_hash = $1
            FOR UPDATE OF t, s
            """, [.bytes(tokenHash)])
        guard let row = result.rows.first else { return nil }
        return LockedToken(
            id: try row.uuid("id"), sessionID: try row.uuid("session_id"), userID: try row.uuid("user_id"),
            expired: try row.bool("expired"), revoked: try row.bool("revoked"),
            secondsSinceRotation: try row.optionalDouble("since_rotation"),
            sessionRevoked: try row.bool("session_revoked"), sessionExpired: try row.bool("session_expired")
        )
    }

    /// Replaces `token` by its successor: the old one is marked rotated, the new one lives until
    /// the refresh TTL or the session's absolute end, whichever is first.
    func rotate(_ token: LockedToken, successorHash: [UInt8], on transaction: PostgresTransaction) async throws {
        let successorID = try await insertToken(sessionID: token.sessionID, parentID: token.id, hash: successorHash, on: transaction)
        _ = try await transaction.query("UPDATE refresh_tokens SET rotated_at = now(), replaced_by = $2 WHERE id = $1",
                                        [.uuid(token.id), .uuid(successorID)])
        try await touch(sessionID: token.sessionID, on: transaction)
    }

    /// The token that replaced `tokenID`, if it is still usable.
    func liveSuccessor(of tokenID: UUID, on transaction: PostgresTransaction) async throws -> (id: UUID, hash: [UInt8], rotated: Bool)? {
        let result = try await transaction.query("""
            SELECT id, token_hash, rotated_at IS NOT NULL AS rotated FROM refresh_tokens
            WHERE parent_id = $1 AND revoked_at IS NULL AND expires_at > now()
            """, [.uuid(tokenID)])
        guard let row = result.rows.first else { return nil }
        return (try row.uuid("id"), try row.bytes("token_hash"), try row.bool("rotated"))
    }

    func touch(sessionID: UUID, on database: some SQLRunner) async throws {
        _ = try await database.query("UPDATE sessions SET last_used_at = now() WHERE id = $1", [.uuid(sessionID)])
    }

    /// Revokes a session and with it every refresh token of the login.
    @discardableResult
    func revoke(sessionID: UUID, userID: UUID? = nil, reason: String, on database: some SQLRunner) async throws -> Bool {
        let result = try await database.query("""
            UPDATE sessions SET revoked_at = now(), revoked_reason = $3
            WHERE id = $1 AND ($2::uuid IS NULL OR user_id = $2) AND revoked_at IS NULL
            """, [.uuid(sessionID), PostgresValue(userID), .text(reason)])
        return result.affectedRows > 0
    }

    /// Revokes the session a refresh token belongs to (logout); false when the token is unknown.
    @discardableResult
    func revoke(tokenHash: [UInt8], reason: String, on database: some SQLRunner) async throws -> Bool {
        let result = try await database.query("""
            UPDATE sessions SET revoked_at = now(), revoked_reason = $2
            WHERE id = (SELECT session_id FROM refresh_tokens WHERE token_hash = $1) AND revoked_at IS NULL
            """, [.bytes(tokenHash), .text(reason)])
        return result.affectedRows > 0
    }

    /// Revokes every session of a user except `keeping` (logout everywhere, password change).
    @discardableResult
    func revokeAll(userID: UUID, keeping: UUID? = nil, reason: String, on database: some SQLRunner) async throws -> Int {
        let result = try await database.query("""
            UPDATE sessions SET revoked_at = now(), revoked_reason = $3
            WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR id <> $2)
            """, [.uuid(userID), PostgresValue(keeping), .text(reason)])
        return result.affectedRows
    }

    /// The user's sessions that can still refresh: not revoked, within their lifetime, and
    /// holding an unexpired current token.
    func live(userID: UUID, current: UUID?, on database: some SQLRunner) async throws -> [Session] {
        let result = try await database.query("""
            SELECT s.id, s.user_agent, s.ip, s.created_at, s.last_used_at, s.expires_at FROM sessions s
            WHERE s.user_id = $1 AND s.revoked_at IS NULL AND s.expires_at > now()
              AND EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.session_id = s.id AND t.rotated_at IS NULL
                          AND t.revoked_at IS NULL AND t.expires_at > now())
            ORDER BY s.last_used_at DESC
            """, [.uuid(userID)])
        return try result.rows.map { row in
            let id = try row.uuid("id")
            return Session(id: id, userAgent: try row.optionalString("user_agent"), ip: try row.optionalString("ip"),
                           createdAt: try row.date("created_at"), lastUsedAt: try row.date("last_used_at"),
                           expiresAt: try row.date("expires_at"), current: id == current)
        }
    }

    @discardableResult
    private func insertToken(sessionID: UUID, parentID: UUID?, hash: [UInt8], on transaction: PostgresTransaction) async throws -> UUID {
        let result = try await transaction.query("""
            INSERT INTO refresh_tokens (session_id, parent_id, token_hash, expires_at)
            SELECT $1, $2, $3, least(now() + make_interval(secs => $4), s.expires_at) FROM sessions s WHERE s.id = $1
            RETURNING id
            """, [.uuid(sessionID), PostgresValue(parentID), .bytes(hash), .int(refreshTokenTTL)])
        return try result.rows[0].uuid("id")
    }
}
