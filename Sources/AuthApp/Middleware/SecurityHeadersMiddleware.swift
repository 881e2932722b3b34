import HTTPServer

/// The headers a hardened API sends on every response. Auth responses must never be cached
/// (they carry tokens), so `no-store` is the default unless a handler chose otherwise.
struct SecurityHeadersMiddleware: Middleware {
    let isProduction: Bool

    func handle(_ request: HTTPRequest, context: RequestContext, next: Handler) throws -> HTTPResponse {
        var response = try next(request, context)
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "no-referrer")
        if response.headers["Cache-Control"] == nil {
            response.headers.add(name: "Cache-Control", value: "no-store")
        }
        if response.headers["Content-Security-Policy"] == nil {
            response.headers.add(name: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'")
        }
        if isProduction {
            response.headers.replaceOrAdd(name: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains")
        }
        return response
    }
}
