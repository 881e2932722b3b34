import Foundation
import HTTPServer
import PostgresClient

/// `GET /api/auth/me` (and `/profile`) and `POST /api/auth/change-password`.
struct ProfileController: Sendable {
    let database: PostgresPool
    let users: UserRepository
    let sessions: SessionRepository
    let hasher: PasswordHasher

    struct Profile: Encodable {
        let success = true
        let user: User
    }

    struct ChangePasswordRequest: Decodable {
        let currentPassword: String
        let newPassword: String
    }

    struct Changed: Encodable {
        let success = true
        let message = "Password changed; other sessions were signed out"
        let revokedSessions: Int
    }

    func me(_ request: HTTPRequest, context: RequestContext) throws -> HTTPResponse {
        let principal = try context.principal
        let user = try database.withConnection { try users.requireActive(principal.userID, on: $0) }
        return HTTPResponse(json: Profile(user: user))
    }

    func changePassword(_ request: HTTPRequest, context: RequestContext) throws -> HTTPResponse {
        let principal = try context.principal
        let body = try request.decodeJSON(ChangePasswordRequest.self)
        if let problem = PasswordPolicy.problem(with: body.newPassword) {
            throw HTTPError.validation(.init(field: "newPassword", message: problem))
        }
        guard let stored = try database.withConnection({ try users.passwordHash(id: principal.userID, on: $0) }) else {
            throw AuthError.invalidToken
        }
        guard stored.isActive else { throw AuthError.accountDisabledToken }
        guard PasswordPolicy.fitsBcrypt(body.currentPassword), try hasher.verify(body.currentPassword, against: stored.hash) else {
            context.logger.warning("security: password change with wrong current password", metadata: [
                "userId": "\(principal.userID.lowercasedString)", "clientIp": "\(context.clientIP)",
            ])
            throw AuthError.invalidCredentials
        }
        let newHash = try hasher.hash(body.newPassword)
        let revoked = try database.transaction { connection in
            try users.updatePasswordHash(id: principal.userID, hash: newHash, on: connection)
            return try sessions.revokeAll(userID: principal.userID, keeping: principal.sessionID, reason: "password_changed", on: connection)
        }
        context.logger.notice("security: password changed", metadata: [
            "userId": "\(principal.userID.lowercasedString)", "clientIp": "\(context.clientIP)", "revokedSessions": "\(revoked)",
        ])
        return HTTPResponse(json: Changed(revokedSessions: revoked))
    }
}
