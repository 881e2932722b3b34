import JSON
import FoundationEssentials
import HTTPServer
import PostgresClient

/// `/api/admin/users...`: find, inspect, change, sign out and delete accounts. Behind
/// AdminOnlyMiddleware; the changes go through `AccountAdministration`, as the shell's do.
struct AdminUserController: Sendable {
    let database: PostgresDatabase
    let users: UserRepository
    let sessions: SessionRepository
    let identities: IdentityRepository
    let administration: AccountAdministration

    struct UserPage: JSONWritable {
        let users: [User]
        let next: KeysetCursor?

        func write(to json: inout JSONWriter) {
            json.beginObject()
            json.member("success", true)
            json.member("users", users)
            json.member("nextCursor", next?.encoded)
            json.endObject()
        }
    }

    struct UserDetail: JSONWritable {
        let user: User
        let liveSessions: Int
        let identities: [IdentityRepository.Identity]

        func write(to json: inout JSONWriter) {
            json.beginObject()
            json.member("success", true)
            json.name("user")
            user.write(to: &json)
            json.member("liveSessions", liveSessions)
            json.member("identities", identities)
            json.endObject()
        }
    }

    struct Updated: JSONWritable {
        let user: User
        let revoked: Int

        func write(to json: inout JSONWriter) {
            json.beginObject()
            json.member("success", true)
            json.name("user")
            user.write(to: &json)
            json.member("revokedSessions", revoked)
            json.endObject()
        }
    }

    struct Revoked: JSONWritable {
        let count: Int

        func write(to json: inout JSONWriter) {
            json.beginObject()
            json.member("success", true)
            json.member("revoked", count)
            json.endObject()
        }
    }

    func list(_ request: HTTPRequest, context: inout AppContext) async throws -> HTTPResponse {
        var query = QueryParameters(request)
        var search = UserRepository.Search()
        search.text = query.string("query", maximumLength: 254)
        search.role = query.choice("role", expected: "CANDIDATE, EMPLOYER or ADMIN") { Role(rawValue: $0.uppercased()) }
        search.isActive = query.bool("active")
        search.limit = query.limit(default: 50, in: 1...200)
        search.after = query.cursor { UUID(canonicalText: $0) != nil }
        try query.validate()
        let page = try await users.search(search, on: database)
        return .json(UserPage(users: page.users, next: page.next))
    }

    func show(_ request: HTTPRequest, context: inout AppContext) async throws -> HTTPResponse {
        let id = try Self.userID(in: context)
        guard let user = try await users.find(id: id, on: database) else { throw AccountFailure.userNotFound }
        let live = try await sessions.live(userID: id, current: nil, on: database)
        return .json(UserDetail(user: user, liveSessions: live.count, identities: try await identities.list(userID: id, on: database)))
    }

    func update(_ request: HTTPRequest, context: inout AppContext) async throws -> HTTPResponse {
        let admin = try context.requirePrincipal().userID
        let id = try Self.userID(in: context)
        var body = try RequestBody(request)
        let changes = AccountChanges(reading: &body)
        try body.validate()
        // An admin must not lock themselves out; another admin (or the shell) can.
        if id == admin && (changes.isActive == false || changes.role.map({ $0 != .admin }) ?? false) {
            throw AccountFailure.cannotModifySelf
        }
        let (user, revoked) = try await administration.update(id, changes, by: .admin(admin), from: context.auditOrigin)
        return .json(Updated(user: user, revoked: revoked))
    }

    func revokeSessions(_ request: HTTPRequest, context: inout AppContext) async throws -> HTTPResponse {
        let admin = try context.requirePrincipal().userID
        let id = try Self.userID(in: context)
        return .json(Revoked(count: try await administration.revokeSessions(of: id, by: .admin(admin), from: context.auditOrigin)))
    }

    func delete(_ request: HTTPRequest, context: inout AppContext) async throws -> HTTPResponse {
        let admin = try context.requirePrincipal().userID
        let id = try Self.userID(in: context)
        guard id != admin else { throw AccountFailure.cannotModifySelf }
        try await administration.delete(id, by: .admin(admin), from: context.auditOrigin)
        return .json(Success())
    }

    /// A malformed id is as unknown as a missing one: 404 either way, as for sessions.
    private static func userID(in context: AppContext) throws -> UUID {
        guard let id = context.route.parameters["id"].flatMap(UUID.init(canonicalText:)) else { throw AccountFailure.userNotFound }
        return id
    }
}
