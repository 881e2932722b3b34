import JSON
import FoundationEssentials
import HTTPServer
import PostgresClient

/// A user's own account: `PATCH /api/auth/me` (the profile), `GET /api/auth/me/export` (all
/// the server holds about them) and `DELETE /api/auth/me` (re-authenticated).
struct OwnAccountController: Sendable {
    let database: PostgresDatabase
    let users: UserRepository
    let sessions: SessionRepository
    let identities: IdentityRepository
    let auditLog: AuditRepository
    let audit: AuditTrail
    let passwords: PasswordConfirmation
    let deletion: AccountDeletion
    let cookie: RefreshCookie

    /// How recent a login must be to delete an account that has no password to confirm.
    static let reauthenticationWindow = 300

    struct Export: JSONWritable {
        let user: User
        let sessions: [SessionRepository.SessionRecord]
        let identities: [IdentityRepository.Identity]
        let events: [AuditRepository.Event]

        func write(to json: inout JSONWriter) {
            json.beginObject()
            json.member("success", true)
            json.member("exportedAt", Date())
            json.name("user")
            user.write(to: &json)
            json.member("sessions", sessions)
            json.member("identities", identities)
            json.member("auditEvents", events)
            json.endObject()
        }
    }

    func updateProfile(_ request: HTTPRequest, context: inout AppContext) async throws -> HTTPResponse {
        let principal = try context.requirePrincipal()
        var body = try RequestBody(request)
        let changes = ProfileChanges(reading: &body)
        try body.validate()
        let user = try await users.live(principal, on: database)
        let origin = context.auditOrigin
        let updated = try await database.transaction { transaction in
            guard let updated = try await users.updateProfile(changes, of: user.id, on: transaction) else { throw AuthFailure.invalidToken }
            if !changes.changedFields.isEmpty {
                try await audit.record(AuditEvent(.profileUpdated, user: user.id, details: [("fields", changes.changedFields.joined(separator: ","))]),
                                       from: origin, on: transaction)
            }
            return updated
        }
        return .json(ProfileController.Profile(user: updated))
    }

    func export(_ request: HTTPRequest, context: inout AppContext) async throws -> HTTPResponse {
        let user = try await users.live(try context.requirePrincipal(), on: database)
        try await audit.record(AuditEvent(.accountExported, user: user.id), from: context.auditOrigin, on: database)
        let export = Export(user: user, sessions: try await sessions.all(userID: user.id, on: database),
                            identities: try await identities.list(userID: user.id, on: database),
                            events: try await auditLog.events(about: user.id, on: database))
        var response = HTTPResponse.json(export)
        response.headers.add("Content-Disposition", "attachment; filename=\"authserver-account-\(user.id.lowercasedText).json\"")
        return response
    }

    func delete(_ request: HTTPRequest, context: inout AppContext) async throws -> HTTPResponse {
        let principal = try context.requirePrincipal()
        var body = try RequestBody(request)
        let password = body.optionalString("password")
        try body.validate()
        let user = try await users.live(principal, on: database)
        if user.hasPassword {
            guard let password else { throw APIError.validation(field: "password", "is required") }
            guard try await passwords.confirm(password, for: user, on: database) != nil else {
                try await refused(user, reason: "wrong password", context: context)
                throw AuthFailure.invalidCredentials
            }
        } else if try await !users.signedIn(id: user.id, withinSeconds: Self.reauthenticationWindow, on: database) {
            try await refused(user, reason: "no recent sign-in", context: context)
            throw AccountFailure.reauthenticationRequired
        }
        try await deletion.delete(user.id, actor: nil, via: "self", from: context.auditOrigin, on: database)
        var response = HTTPResponse.json(Success())
        response.headers.add("Set-Cookie", cookie.cleared)
        return response
    }

    private func refused(_ user: User, reason: String, context: AppContext) async throws {
        try await audit.record(AuditEvent(.accountDeletionRefused, user: user.id, details: [("reason", reason)]), from: context.auditOrigin, on: database)
    }
}
