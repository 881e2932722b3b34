import HTTPServer

/// Finds the client's IP before anything limits or logs by it.
struct ClientIPMiddleware: Middleware {
    let trustedProxies: TrustedProxies

    func handle(_ request: HTTPRequest, context: RequestContext, next: Handler) throws -> HTTPResponse {
        if trustedProxies.isConfigured {
            context[ClientIPKey.self] = trustedProxies.clientIP(
                peer: context.remoteAddress,
                forwardedFor: request.headers.values("X-Forwarded-For")
            )
        }
        return try next(request, context)
    }
}
