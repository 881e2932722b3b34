import FoundationEssentials
import JSON
import PostgresClient

/// `email_tokens`, and the outbox row that mails each one: a token is always written together
/// with its mail, in one statement, so neither exists without the other.
struct EmailTokenRepository: Sendable {
    /// A token that was live and is now used.
    struct Consumed {
        let userID: UUID
        /// The address the link was mailed to.
        let email: String
    }

    /// Issues a token of `kind` to the active account with address `accountEmail` and queues
    /// `template` with `values` to `recipient` (the account's address when nil), as one
    /// statement. A live token of the same kind is overwritten: its link stops working.
    /// Answers the account's id, nil when there is no such active account, in which case
    /// nothing is written. The statement costs the same whether or not the account exists.
    @discardableResult
    func issue(_ kind: EmailToken.Kind, hash: [UInt8], lifetime: Int, accountEmail: String, recipient: String? = nil,
               template: MailTemplate, values: MailTemplate.Values, on database: some SQLRunner) async throws -> UUID? {
        let result = try await database.query("""
            WITH account AS (
                SELECT id, email, name FROM users WHERE email = $1 AND is_active
            ), token AS (
                INSERT INTO email_tokens (kind, user_id, token_hash, email, expires_at)
                SELECT $2, id, $3, coalesce($4, email), now() + make_interval(secs => $5) FROM account
                ON CONFLICT (user_id, kind) WHERE used_at IS NULL DO UPDATE
                    SET token_hash = excluded.token_hash, email = excluded.email, created_at = now(), expires_at = excluded.expires_at
            ), mail AS (
                INSERT INTO email_outbox (user_id, template, recipient, params)
                SELECT id, $6, coalesce($4, email), jsonb_build_object('name', name, 'email', email) || $7::jsonb FROM account
            )
            SELECT id FROM account
            """, [.text(accountEmail), .text(kind.rawValue), .bytes(hash), PostgresValue(recipient), .int(lifetime),
                  .text(template.rawValue), .text(String(decoding: values.json, as: UTF8.self))])
        return try result.rows.first?.uuid("id")
    }

    /// For a message queued without its token (`email_outbox.token_kind`), still leased to
    /// `owner`: issues the token to the active account with the recipient's address and writes
    /// `values` (the link) into the message, or deletes the message when there is no such
    /// account, in one statement. Answers the values to render, nil when the message was deleted.
    func issue(_ kind: EmailToken.Kind, hash: [UInt8], lifetime: Int, forQueued messageID: UUID, owner: String,
               values: MailTemplate.Values, on database: some SQLRunner) async throws -> MailTemplate.Values? {
        let result = try await database.query("""
            WITH message AS (
                SELECT id, recipient FROM email_outbox WHERE id = $1 AND claimed_by = $2 AND token_kind = $3
            ), account AS (
                SELECT u.id, u.email, u.name FROM users u JOIN message m ON u.email = m.recipient WHERE u.is_active
            ), token AS (
                INSERT INTO email_tokens (kind, user_id, token_hash, email, expires_at)
                SELECT $3, id, $4, email, now() + make_interval(secs => $5) FROM account
                ON CONFLICT (user_id, kind) WHERE used_at IS NULL DO UPDATE
                    SET token_hash = excluded.token_hash, email = excluded.email, created_at = now(), expires_at = excluded.expires_at
            ), filled AS (
                UPDATE email_outbox o SET user_id = a.id, token_kind = NULL,
                    params = jsonb_build_object('name', a.name, 'email', a.email) || $6::jsonb
                FROM account a WHERE o.id = $1
                RETURNING o.params::text AS params
            ), dropped AS (
                DELETE FROM email_outbox WHERE id IN (SELECT id FROM message) AND NOT EXISTS (SELECT 1 FROM account)
            )
            SELECT params FROM filled
            """, [.uuid(messageID), .text(owner), .text(kind.rawValue), .bytes(hash), .int(lifetime),
                  .text(String(decoding: values.json, as: UTF8.self))])
        guard let params = try result.rows.first?.string("params") else { return nil }
        return MailTemplate.Values(json: try JSONParser.parseObject(Array(params.utf8)))
    }

    /// Marks the live token of `kind` with this hash used and answers whose it was; nil when it
    /// is unknown, used, replaced, expired, of another kind, its account deactivated, or, for a
    /// reset or a verification, mailed to an address the account no longer has. Concurrent
    /// uses of one token: the row lock lets exactly one through.
    func consume(_ kind: EmailToken.Kind, hash: [UInt8], on transaction: PostgresTransaction) async throws -> Consumed? {
        let result = try await transaction.query("""
            UPDATE email_tokens t SET used_at = now()
            FROM users u
            WHERE t.token_hash = $1 AND t.kind = $2 AND t.used_at IS NULL AND t.expires_at > now()
              AND u.id = t.user_id AND u.is_active AND ($3 OR u.email = t.email)
            RETURNING t.user_id, t.email
            """, [.bytes(hash), .text(kind.rawValue), .bool(kind == .emailChange)])
        guard let row = result.rows.first else { return nil }
        return Consumed(userID: try row.uuid("user_id"), email: try row.string("email"))
    }

    /// Whether a token could be used now (a read; `consume` decides).
    func isLive(_ kind: EmailToken.Kind, hash: [UInt8], on database: some SQLRunner) async throws -> Bool {
        try await !database.query("""
            SELECT 1 FROM email_tokens WHERE token_hash = $1 AND kind = $2 AND used_at IS NULL AND expires_at > now()
            """, [.bytes(hash), .text(kind.rawValue)]).rows.isEmpty
    }

    /// Voids every live token of the user: after its address or password changed, no older
    /// link may act on the account.
    func discardLive(userID: UUID, on transaction: PostgresTransaction) async throws {
        _ = try await transaction.query("DELETE FROM email_tokens WHERE user_id = $1 AND used_at IS NULL", [.uuid(userID)])
    }

    /// Drops tokens that expired more than a day ago.
    func purgeExpired(on database: some SQLRunner) async throws {
        _ = try await database.query("DELETE FROM email_tokens WHERE expires_at < now() - interval '1 day'", [])
    }
}
