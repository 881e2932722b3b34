import JSON
import FoundationEssentials
import HTTPServer
import PostgresClient

/// `GET /api/auth/sessions` and `DELETE /api/auth/sessions/:id`: the caller's logins.
struct SessionController: Sendable {
    let database: PostgresDatabase
    let users: UserRepository
    let sessions: SessionRepository
    let audit: AuditTrail

    struct SessionList: JSONWritable {
        let sessions: [SessionRepository.Session]

        func write(to json: inout JSONWriter) {
            json.beginObject()
            json.member("success", true)
            json.member("sessions", sessions)
            json.endObject()
        }
    }

    func list(_ request: HTTPRequest, context: inout AppContext) async throws -> HTTPResponse {
        let principal = try context.requirePrincipal()
        let user = try await users.live(principal, on: database)
        return .json(SessionList(sessions: try await sessions.live(userID: user.id, current: principal.sessionID, on: database)))
    }

    func revoke(_ request: HTTPRequest, context: inout AppContext) async throws -> HTTPResponse {
        let user = try await users.live(try context.requirePrincipal(), on: database)
        // A malformed id is as unknown as someone else's: 404 either way.
        guard let id = context.route.parameters["id"].flatMap(UUID.init(canonicalText:)) else { throw AuthFailure.sessionNotFound }
        let origin = context.auditOrigin
        try await database.transaction { transaction in
            guard try await sessions.revoke(sessionID: id, userID: user.id, reason: "revoked_by_user", on: transaction) else {
                throw AuthFailure.sessionNotFound
            }
            try await audit.record(AuditEvent(.sessionRevoked, user: user.id, details: [("sessionId", id.lowercasedText)]), from: origin, on: transaction)
        }
        return .json(Success())
    }
}

/// `{"success":true}`.
struct Success: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.member("success", true)
        json.endObject()
    }
}
