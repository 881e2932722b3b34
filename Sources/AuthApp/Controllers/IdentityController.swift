import JSON
import HTTPServer
import PostgresClient

/// `GET /api/auth/identities` and `DELETE /api/auth/identities/:provider`: the caller's
/// linked providers.
struct IdentityController: Sendable {
    let database: PostgresDatabase
    let users: UserRepository
    let identities: IdentityRepository
    let audit: AuditTrail

    struct IdentityList: JSONWritable {
        let identities: [IdentityRepository.Identity]

        func write(to json: inout JSONWriter) {
            json.beginObject()
            json.member("success", true)
            json.member("identities", identities)
            json.endObject()
        }
    }

    func list(_ request: HTTPRequest, context: inout AppContext) async throws -> HTTPResponse {
        let user = try await users.live(try context.requirePrincipal(), on: database)
        return .json(IdentityList(identities: try await identities.list(userID: user.id, on: database)))
    }

    func unlink(_ request: HTTPRequest, context: inout AppContext) async throws -> HTTPResponse {
        let user = try await users.live(try context.requirePrincipal(), on: database)
        let provider = context.route.parameters["provider"] ?? ""
        let origin = context.auditOrigin
        try await database.transaction { transaction in
            try await identities.unlink(userID: user.id, provider: provider, on: transaction)
            try await audit.record(AuditEvent(.identityUnlinked, user: user.id, details: [("provider", provider)]), from: origin, on: transaction)
        }
        return .json(Success())
    }
}
