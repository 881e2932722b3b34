import JSON
import FoundationEssentials
import HTTPServer
import PostgresClient

/// `GET /api/auth/me` (and `/profile`) and `POST /api/auth/change-password`.
struct ProfileController: Sendable {
    let database: PostgresDatabase
    let users: UserRepository
    let sessions: SessionRepository
    let hasher: PasswordHasher
    let throttle: LoginThrottle
    let audit: AuditTrail

    struct Profile: JSONWritable {
        let user: User

        func write(to json: inout JSONWriter) {
            json.beginObject()
            json.member("success", true)
            json.name("user")
            user.write(to: &json)
            json.endObject()
        }
    }

    struct PasswordChanged: JSONWritable {
        let revokedSessions: Int

        func write(to json: inout JSONWriter) {
            json.beginObject()
            json.member("success", true)
            json.member("message", "Password changed; other sessions were signed out")
            json.member("revokedSessions", revokedSessions)
            json.endObject()
        }
    }

    func me(_ request: HTTPRequest, context: inout AppContext) async throws -> HTTPResponse {
        .json(Profile(user: try await users.live(try context.requirePrincipal(), on: database)))
    }

    func changePassword(_ request: HTTPRequest, context: inout AppContext) async throws -> HTTPResponse {
        let principal = try context.requirePrincipal()
        var body = try RequestBody(request)
        let currentPassword = body.string("currentPassword")
        let newPassword = body.string("newPassword")
        if let newPassword, let problem = PasswordPolicy.problem(with: newPassword) { body.reject("newPassword", problem) }
        try body.validate()
        guard let currentPassword, let newPassword else { throw APIError.validation(body.errors) }

        let user = try await users.live(principal, on: database)
        guard let stored = try await PasswordConfirmation(users: users, hasher: hasher, throttle: throttle)
            .confirm(currentPassword, for: user, on: database)
        else {
            try await audit.record(AuditEvent(.passwordChangeFailed, user: user.id), from: context.auditOrigin, on: database)
            throw AuthFailure.invalidCredentials
        }
        let newHash = try await hasher.hash(newPassword)
        let origin = context.auditOrigin
        let revoked = try await database.transaction { transaction in
            guard try await users.replacePasswordHash(id: user.id, expected: stored, with: newHash, on: transaction) else {
                throw AuthFailure.invalidCredentials
            }
            let revoked = try await sessions.revokeAll(userID: user.id, keeping: principal.sessionID, reason: "password_changed", on: transaction)
            try await audit.record(AuditEvent(.passwordChanged, user: user.id, details: [("revokedSessions", String(revoked))]),
                                   from: origin, on: transaction)
            return revoked
        }
        return .json(PasswordChanged(revokedSessions: revoked))
    }
}
