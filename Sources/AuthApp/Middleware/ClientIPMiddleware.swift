import HTTPServer

/// Finds the client's IP before anything limits or logs by it.
struct ClientIPMiddleware: Middleware {
    let trustedProxies: TrustedProxies
    let execution = Execution.inline

    func handle(_ request: HTTPRequest, context: inout AppContext, next: some Responder<AppContext>) async throws -> HTTPResponse {
        if trustedProxies.isConfigured {
            let client = trustedProxies.clientIP(peer: context.connection.remoteAddress, forwardedFor: request.headers.values("X-Forwarded-For"))
            if client != context.clientIP {
                context.clientIP = client
                context.clientHost = client.description
            }
        }
        return try await next(request, &context)
    }
}
