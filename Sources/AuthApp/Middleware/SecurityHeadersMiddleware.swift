import HTTPServer

/// The headers a hardened API sends on every response, encoded once at start. Auth responses
/// must never be cached (they carry tokens), so `no-store` is the default unless a handler
/// chose otherwise; likewise the restrictive content security policy.
struct SecurityHeadersMiddleware: Middleware {
    private let fields: EncodedHeaderFields
    private static let noStore = EncodedHeaderFields([("Cache-Control", "no-store")])
    private static let contentSecurityPolicy = EncodedHeaderFields([("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")])
    let execution = Execution.inline

    init(isProduction: Bool) {
        var fields = [("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"), ("Referrer-Policy", "no-referrer")]
        if isProduction {
            fields.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
        }
        self.fields = EncodedHeaderFields(fields)
    }

    func handle(_ request: HTTPRequest, context: inout AppContext, next: some Responder<AppContext>) async throws -> HTTPResponse {
        var response = try await next(request, &context)
        response.headers.add(fields)
        if !response.headers.contains("Cache-Control") { response.headers.add(Self.noStore) }
        if !response.headers.contains("Content-Security-Policy") { response.headers.add(Self.contentSecurityPolicy) }
        return response
    }
}
