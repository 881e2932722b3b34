import HTTPServer
import PostgresClient

/// Guards `/api/admin/*`, after AuthenticateMiddleware: the caller's session must be live and
/// their role ADMIN in the database, read on every call, never the token's claim, so a demoted
/// admin's token is refused (403 `FORBIDDEN`) at once. Handlers take the actor from the principal.
struct AdminOnlyMiddleware: Middleware {
    let database: PostgresDatabase
    let users: UserRepository
    let execution = Execution.waits

    func handle(_ request: HTTPRequest, context: inout AppContext, next: some Responder<AppContext>) async throws -> HTTPResponse {
        let caller = try await users.live(try context.requirePrincipal(), on: database)
        guard caller.role == .admin else { throw AuthFailure.forbidden }
        return try await next(request, &context)
    }
}
