import HTTPServer

/// Cross-origin access for the configured origins only, with credentials (the refresh cookie).
/// Other origins get no CORS header at all, so the browser keeps the response from them. Each
/// allowed origin's headers are encoded once at start.
struct CORSMiddleware: Middleware {
    private let originHeaders: [String: EncodedHeaderFields]
    private let preflightHeaders: [String: EncodedHeaderFields]
    private static let allowedMethods: [HTTPMethod] = [.GET, .HEAD, .POST, .PATCH, .DELETE, .OPTIONS]
    /// Request headers a preflight may ask for (lowercased).
    private static let allowedHeaders: Set<String> = ["content-type", "authorization", "x-request-id", "accept", "accept-language"]
    private static let varyOrigin = EncodedHeaderFields([("Vary", "Origin")])
    private static let maxAge = 600
    let execution = Execution.inline

    init(allowedOrigins: [String]) {
        var originHeaders: [String: EncodedHeaderFields] = [:]
        var preflightHeaders: [String: EncodedHeaderFields] = [:]
        for origin in allowedOrigins {
            let common = [("Access-Control-Allow-Origin", origin), ("Access-Control-Allow-Credentials", "true"), ("Vary", "Origin")]
            originHeaders[origin] = EncodedHeaderFields(common + [("Access-Control-Expose-Headers", "X-Request-Id, Retry-After")])
            preflightHeaders[origin] = EncodedHeaderFields(common + [
                ("Vary", "Access-Control-Request-Method, Access-Control-Request-Headers"),
            ])
        }
        self.originHeaders = originHeaders
        self.preflightHeaders = preflightHeaders
    }

    func handle(_ request: HTTPRequest, context: inout AppContext, next: some Responder<AppContext>) async throws -> HTTPResponse {
        guard let origin = request.headers["Origin"], let headers = originHeaders[origin] else {
            var response = try await next(request, &context)
            response.headers.add(Self.varyOrigin)
            return response
        }
        if request.method == .OPTIONS, let method = request.headers["Access-Control-Request-Method"] {
            return preflight(origin: origin, method: method, requestedHeaders: request.headers["Access-Control-Request-Headers"])
        }
        var response = try await next(request, &context)
        response.headers.add(headers)
        return response
    }

    private func preflight(origin: String, method: String, requestedHeaders: String?) -> HTTPResponse {
        var response = HTTPResponse(status: .noContent)
        response.headers.add(preflightHeaders[origin]!)
        guard Self.allowedMethods.contains(HTTPMethod(rawValue: method)) else { return response }
        response.headers.add("Access-Control-Allow-Methods", Self.allowedMethods.map(\.rawValue).joined(separator: ", "))
        if let requestedHeaders {
            let names = requestedHeaders.split(separator: ",").map { $0.trimmingBlanks().lowercased() }
            if names.allSatisfy({ Self.allowedHeaders.contains($0) }) {
                response.headers.add("Access-Control-Allow-Headers", names.joined(separator: ", "))
            }
        }
        response.headers.add("Access-Control-Max-Age", String(Self.maxAge))
        return response
    }
}
