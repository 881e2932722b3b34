import HTTPServer

/// Guards the routes a browser reaches with the refresh cookie alone (refresh, logout): a
/// cross-site form could post there and the browser would attach the cookie. A request whose
/// `Origin` (or `Sec-Fetch-Site: cross-site`) says it comes from anywhere but this server or an
/// allowed frontend is refused before anything changes. Clients that send no `Origin` (servers,
/// curl) are not browsers and pass.
struct OriginCheckMiddleware: Middleware {
    let trustedOrigins: Set<String>
    let execution = Execution.inline

    func handle(_ request: HTTPRequest, context: inout AppContext, next: some Responder<AppContext>) async throws -> HTTPResponse {
        if let origin = request.headers["Origin"] {
            guard trustedOrigins.contains(origin) else { throw AuthFailure.originNotAllowed }
        } else if request.headers["Sec-Fetch-Site"]?.lowercased() == "cross-site" {
            throw AuthFailure.originNotAllowed
        }
        return try await next(request, &context)
    }
}
