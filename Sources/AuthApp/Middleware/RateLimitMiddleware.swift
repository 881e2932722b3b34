import HTTPServer

/// `RATE_LIMIT_MAX` requests to `/api/*` per client per window; 429 `RATE_LIMITED` with
/// `Retry-After` past it. Added to the `/api` routes only: health checks and metrics are never
/// limited, and never wait for a shared store.
struct RateLimitMiddleware: Middleware {
    let store: any RateLimitStore
    let window: Int
    let limit: Int
    var execution: Execution { store.execution }

    func handle(_ request: HTTPRequest, context: inout AppContext, next: some Responder<AppContext>) async throws -> HTTPResponse {
        guard request.method != .OPTIONS else { return try await next(request, &context) }
        let current = try await store.increment(RateLimitKey.requests(from: context.clientIP), window: window)
        guard current.count <= limit else { throw AuthFailure.rateLimited(retryAfter: current.secondsLeft) }
        var response = try await next(request, &context)
        response.headers.add("RateLimit-Limit", String(limit))
        response.headers.add("RateLimit-Remaining", String(max(0, limit - current.count)))
        return response
    }
}
