import JSON
import FoundationEssentials
import PostgresClient

/// Reads and ages out `audit_events` (AuditTrail writes them).
struct AuditRepository: Sendable {
    /// One row as `GET /api/admin/audit` and the export show it.
    struct Event: JSONWritable {
        let id: Int
        let type: String
        let userID: UUID?
        let actorID: UUID?
        let ip: String?
        let requestID: String?
        let createdAt: Date
        /// The `details` object as PostgreSQL rendered it: already JSON.
        let details: String

        init(row: PostgresRow) throws {
            id = try row.int("id")
            type = try row.string("type")
            userID = try row.optionalUUID("user_id")
            actorID = try row.optionalUUID("actor_id")
            ip = try row.optionalString("ip")
            requestID = try row.optionalString("request_id")
            createdAt = try row.date("created_at")
            details = try row.string("details")
        }

        func write(to json: inout JSONWriter) {
            json.beginObject()
            json.member("id", id)
            json.member("type", type)
            json.member("userId", userID?.lowercasedText)
            json.member("actorId", actorID?.lowercasedText)
            json.member("ip", ip)
            json.member("requestId", requestID)
            json.member("createdAt", createdAt)
            json.name("details")
            json.raw(Array(details.utf8))
            json.endObject()
        }
    }

    struct Filter {
        var userID: UUID?
        var type: AuditEvent.Kind?
        var limit = 50
        var after: KeysetCursor?
    }

    private static let columns = "id, type, user_id, actor_id, ip, request_id, created_at, details::text AS details"

    /// One page, newest first, and the next page's cursor (nil on the last). Each filter has its
    /// index: `audit_events_user_idx`, `audit_events_type_idx`, else `audit_events_created_idx`.
    func page(_ filter: Filter, on database: some SQLRunner) async throws -> (events: [Event], next: KeysetCursor?) {
        var conditions: [String] = []
        var parameters: [PostgresValue] = []
        func parameter(_ value: PostgresValue) -> Int {
            parameters.append(value)
            return parameters.count
        }
        if let user = filter.userID { conditions.append("user_id = $\(parameter(.uuid(user)))::uuid") }
        if let type = filter.type { conditions.append("type = $\(parameter(.text(type.rawValue)))") }
        if let after = filter.after, let id = Int(after.key) {
            let micros = parameter(.int(after.createdMicros))
            conditions.append("(created_at, id) < (\(KeysetCursor.timestamp(micros)), $\(parameter(.int(id)))::bigint)")
        }
        let limit = parameter(.int(filter.limit + 1))
        let result = try await database.query("""
            SELECT \(Self.columns), \(KeysetCursor.micros("created_at")) AS created_micros FROM audit_events
            \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            ORDER BY created_at DESC, id DESC LIMIT $\(limit)
            """, parameters)
        let rows = result.rows.prefix(filter.limit)
        let events = try rows.map(Event.init(row:))
        guard result.rows.count > filter.limit, let last = rows.last else { return (events, nil) }
        return (events, KeysetCursor(createdMicros: try last.int("created_micros"), key: String(try last.int("id"))))
    }

    /// Every event about the user, newest first: the export's.
    func events(about userID: UUID, on database: some SQLRunner) async throws -> [Event] {
        try await database.query("SELECT \(Self.columns) FROM audit_events WHERE user_id = $1 ORDER BY created_at DESC, id DESC",
                                 [.uuid(userID)]).rows.map(Event.init(row:))
    }

    /// Keeps of a deleted account's events only what they were and when: its id stays, the
    /// client IPs and details (which may name its addresses) go.
    func forget(userID: UUID, on transaction: PostgresTransaction) async throws {
        _ = try await transaction.query("UPDATE audit_events SET ip = NULL, details = '{}'::jsonb WHERE user_id = $1", [.uuid(userID)])
    }

    /// Deletes up to `batch` of the oldest rows older than `seconds`; answers how many. Rows
    /// another instance is deleting are skipped, not waited for.
    func purge(olderThanSeconds seconds: Int, batch: Int, on database: some SQLRunner) async throws -> Int {
        try await database.query("""
            DELETE FROM audit_events WHERE id IN (
                SELECT id FROM audit_events WHERE created_at < now() - make_interval(secs => $1)
                ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
            """, [.int(seconds), .int(batch)]).affectedRows
    }
}
