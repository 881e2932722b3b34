import Foundation
import HTTPServer
import PostgresClient

/// `GET /api/auth/sessions` and `DELETE /api/auth/sessions/:id`: the caller's logins.
struct SessionController: Sendable {
    let database: PostgresPool
    let users: UserRepository
    let sessions: SessionRepository

    struct SessionList: Encodable {
        let success = true
        let sessions: [SessionRepository.Session]
    }

    struct Done: Encodable {
        let success = true
    }

    func list(_ request: HTTPRequest, context: RequestContext) throws -> HTTPResponse {
        let principal = try context.principal
        let live = try database.withConnection { connection in
            try users.requireActive(principal.userID, on: connection)
            return try sessions.live(userID: principal.userID, current: principal.sessionID, on: connection)
        }
        return HTTPResponse(json: SessionList(sessions: live))
    }

    func revoke(_ request: HTTPRequest, context: RequestContext) throws -> HTTPResponse {
        let principal = try context.principal
        // A malformed id is as unknown as someone else's: 404 either way.
        guard let id = context.parameters["id"].flatMap(UUID.init(uuidString:)) else { throw AuthError.sessionNotFound }
        let revoked = try database.withConnection { connection in
            try users.requireActive(principal.userID, on: connection)
            return try sessions.revoke(sessionID: id, userID: principal.userID, reason: "revoked_by_user", on: connection)
        }
        guard revoked else { throw AuthError.sessionNotFound }
        context.logger.notice("security: session revoked", metadata: ["userId": "\(principal.userID.lowercasedString)", "sessionId": "\(id.lowercasedString)"])
        return HTTPResponse(json: Done())
    }
}

extension UserRepository {
    /// Routes that touch the database refuse a user deactivated (or deleted) after the token was issued.
    @discardableResult
    func requireActive(_ id: UUID, on connection: PostgresConnection) throws -> User {
        guard let user = try find(id: id, on: connection) else { throw AuthError.invalidToken }
        guard user.isActive else { throw AuthError.accountDisabledToken }
        return user
    }
}
