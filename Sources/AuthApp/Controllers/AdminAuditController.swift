import JSON
import FoundationEssentials
import HTTPServer
import PostgresClient

/// `GET /api/admin/audit`: the audit trail, newest first, by user and type. Behind AdminOnlyMiddleware.
struct AdminAuditController: Sendable {
    let database: PostgresDatabase
    let auditLog: AuditRepository

    struct EventPage: JSONWritable {
        let events: [AuditRepository.Event]
        let next: KeysetCursor?

        func write(to json: inout JSONWriter) {
            json.beginObject()
            json.member("success", true)
            json.member("events", events)
            json.member("nextCursor", next?.encoded)
            json.endObject()
        }
    }

    func list(_ request: HTTPRequest, context: inout AppContext) async throws -> HTTPResponse {
        var query = QueryParameters(request)
        var filter = AuditRepository.Filter()
        filter.userID = query.choice("userId", expected: "a user id (UUID)") { UUID(canonicalText: $0) }
        filter.type = query.choice("type", expected: "an event type such as login.failed") { AuditEvent.Kind(rawValue: $0) }
        filter.limit = query.limit(default: 50, in: 1...200)
        filter.after = query.cursor { Int($0).map { $0 > 0 } ?? false }
        try query.validate()
        let page = try await auditLog.page(filter, on: database)
        return .json(EventPage(events: page.events, next: page.next))
    }
}
