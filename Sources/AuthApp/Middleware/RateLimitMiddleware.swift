import HTTPServer

/// `RATE_LIMIT_MAX` requests to `/api/*` per client IP per window; 429 `RATE_LIMITED` with
/// `Retry-After` past it. Health checks and metrics are never limited.
struct RateLimitMiddleware: Middleware {
    let store: any RateLimitStore
    let window: Int
    let limit: Int

    func handle(_ request: HTTPRequest, context: RequestContext, next: Handler) throws -> HTTPResponse {
        guard !context.isServerGenerated, request.path.hasPrefix("/api/"), request.method != .OPTIONS else {
            return try next(request, context)
        }
        let current = try store.increment("requests:\(context.clientIP)", window: window)
        guard current.count <= limit else {
            throw AuthError.rateLimited(retryAfter: current.secondsLeft)
        }
        var response = try next(request, context)
        response.headers.replaceOrAdd(name: "RateLimit-Limit", value: String(limit))
        response.headers.replaceOrAdd(name: "RateLimit-Remaining", value: String(max(0, limit - current.count)))
        return response
    }
}
