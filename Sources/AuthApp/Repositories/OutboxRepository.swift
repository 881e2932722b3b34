import FoundationEssentials
import JSON
import PostgresClient

/// `email_outbox`: messages queued by the flows, delivered by each instance's `MailSender`.
///
/// Claiming is one statement: due rows are locked with `FOR UPDATE SKIP LOCKED` (two senders
/// never wait for, nor take, the same row) and leased to the claimer until `claimed_until`. The
/// lease outlives any delivery, so a slow send is never claimed again by another poller (Ory
/// Kratos issue 402: the lock ended with the claiming transaction while the send went on); it
/// runs out only when its instance died, and another then takes over. Every later update is
/// conditional on the lease (`claimed_by`), so a sender that lost its lease changes nothing.
struct OutboxRepository: Sendable {
    /// A message leased to one sender.
    struct Claimed: Sendable {
        let id: UUID
        let template: String
        let recipient: String
        let values: MailTemplate.Values
        /// A token of this kind is still to be issued (forgot-password), `values` to be filled.
        let tokenKind: EmailToken.Kind?
        /// Including this one.
        let attempts: Int
        let createdAt: Date
    }

    enum Rescheduled {
        case retrying
        /// Past the retry limit: marked failed.
        case gaveUp
    }

    /// Queues a message that carries no token (a notice), or one whose token the sender issues
    /// (`tokenKind`, see `email_outbox.token_kind`).
    func enqueue(userID: UUID?, template: MailTemplate, recipient: String, values: MailTemplate.Values,
                 tokenKind: EmailToken.Kind? = nil, on database: some SQLRunner) async throws {
        _ = try await database.query("""
            INSERT INTO email_outbox (user_id, template, recipient, params, token_kind) VALUES ($1, $2, $3, $4::jsonb, $5)
            """, [PostgresValue(userID), .text(template.rawValue), .text(recipient), .text(String(decoding: values.json, as: UTF8.self)),
                  PostgresValue(tokenKind?.rawValue)])
    }

    /// Leases up to `limit` due messages, oldest due first, to `owner` for `lease` seconds, and
    /// counts the attempt. Rows that fail to parse are still returned, with empty values.
    func claim(owner: String, limit: Int, lease: Int, on database: some SQLRunner) async throws -> [Claimed] {
        let result = try await database.query("""
            UPDATE email_outbox SET claimed_by = $1, claimed_until = now() + make_interval(secs => $2), attempts = attempts + 1
            WHERE id IN (
                SELECT id FROM email_outbox
                WHERE status = 'pending' AND next_attempt_at <= now() AND (claimed_until IS NULL OR claimed_until < now())
                ORDER BY next_attempt_at
                LIMIT $3
                FOR UPDATE SKIP LOCKED
            )
            RETURNING id, template, recipient, coalesce(params, '{}'::jsonb)::text AS params, token_kind, attempts, created_at
            """, [.text(owner), .int(lease), .int(limit)])
        return try result.rows.map { row in
            let params = try row.string("params")
            return Claimed(id: try row.uuid("id"), template: try row.string("template"), recipient: try row.string("recipient"),
                           values: MailTemplate.Values(json: (try? JSONParser.parseObject(Array(params.utf8))) ?? [:]),
                           tokenKind: try row.optionalString("token_kind").flatMap(EmailToken.Kind.init(rawValue:)),
                           attempts: try row.int("attempts"), createdAt: try row.date("created_at"))
        }
    }

    /// Delivered: the link it carried is dropped with the lease. False when the lease was lost.
    func markSent(_ id: UUID, owner: String, on database: some SQLRunner) async throws -> Bool {
        try await database.query("""
            UPDATE email_outbox SET status = 'sent', sent_at = now(), params = NULL, last_error = NULL,
                claimed_by = NULL, claimed_until = NULL
            WHERE id = $1 AND claimed_by = $2
            """, [.uuid(id), .text(owner)]).affectedRows == 1
    }

    /// Refused for good (or never deliverable): failed, link dropped. False when the lease was lost.
    func markFailed(_ id: UUID, owner: String, error: String, on database: some SQLRunner) async throws -> Bool {
        try await database.query("""
            UPDATE email_outbox SET status = 'failed', failed_at = now(), params = NULL, last_error = $3,
                claimed_by = NULL, claimed_until = NULL
            WHERE id = $1 AND claimed_by = $2
            """, [.uuid(id), .text(owner), .text(String(error.prefix(1000)))]).affectedRows == 1
    }

    /// A transient failure: due again in `delay` seconds, unless that is past `retryLimit`
    /// seconds after the message was queued, when it is marked failed instead. Nil when the
    /// lease was lost.
    func reschedule(_ id: UUID, owner: String, delay: Double, retryLimit: Int, error: String,
                    on database: some SQLRunner) async throws -> Rescheduled? {
        let result = try await database.query("""
            WITH decision AS (
                SELECT id, created_at + make_interval(secs => $4) < now() + make_interval(secs => $3) AS give_up
                FROM email_outbox WHERE id = $1 AND claimed_by = $2
            )
            UPDATE email_outbox o SET
                status = CASE WHEN d.give_up THEN 'failed' ELSE 'pending' END,
                failed_at = CASE WHEN d.give_up THEN now() END,
                params = CASE WHEN d.give_up THEN NULL ELSE o.params END,
                next_attempt_at = now() + make_interval(secs => $3),
                last_error = $5, claimed_by = NULL, claimed_until = NULL
            FROM decision d WHERE o.id = d.id
            RETURNING d.give_up
            """, [.uuid(id), .text(owner), .double(delay), .int(retryLimit), .text(String(error.prefix(1000)))])
        guard let row = result.rows.first else { return nil }
        return try row.bool("give_up") ? .gaveUp : .retrying
    }

    /// Gives a claimed message back untried (shutdown before its delivery began).
    func release(_ id: UUID, owner: String, on database: some SQLRunner) async throws {
        _ = try await database.query("""
            UPDATE email_outbox SET claimed_by = NULL, claimed_until = NULL, attempts = greatest(attempts - 1, 0)
            WHERE id = $1 AND claimed_by = $2
            """, [.uuid(id), .text(owner)])
    }

    /// Messages not yet sent nor failed, on every instance.
    func pendingCount(on database: some SQLRunner) async throws -> Int {
        try await database.query("SELECT count(*)::int AS pending FROM email_outbox WHERE status = 'pending'", []).rows[0].int("pending")
    }

    /// Drops finished messages older than `days` days.
    func purgeFinished(olderThanDays days: Int, on database: some SQLRunner) async throws {
        _ = try await database.query("""
            DELETE FROM email_outbox WHERE status <> 'pending' AND created_at < now() - make_interval(days => $1)
            """, [.int(days)])
    }
}
