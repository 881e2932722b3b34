import Foundation
import HTTPServer

/// Cross-origin access for the configured origins only, with credentials (the refresh cookie).
/// Other origins get no CORS header at all, so the browser keeps the response from them.
struct CORSMiddleware: Middleware {
    let allowedOrigins: Set<String>
    let allowedMethods: [HTTPMethod] = [.GET, .HEAD, .POST, .DELETE, .OPTIONS]
    /// Request headers a preflight may ask for (lowercased).
    let allowedHeaders: Set<String> = ["content-type", "authorization", "x-request-id", "accept", "accept-language"]
    let maxAge = 600

    func handle(_ request: HTTPRequest, context: RequestContext, next: Handler) throws -> HTTPResponse {
        guard let origin = request.headers["Origin"], allowedOrigins.contains(origin) || allowedOrigins.contains("*") else {
            var response = try next(request, context)
            response.headers.add(name: "Vary", value: "Origin")
            return response
        }
        if request.method == .OPTIONS, let method = request.headers["Access-Control-Request-Method"] {
            return preflight(origin: origin, method: method, requestedHeaders: request.headers["Access-Control-Request-Headers"])
        }
        var response = try next(request, context)
        addOriginHeaders(origin, to: &response.headers)
        response.headers.add(name: "Access-Control-Expose-Headers", value: "X-Request-Id, Retry-After")
        return response
    }

    private func preflight(origin: String, method: String, requestedHeaders: String?) -> HTTPResponse {
        var response = HTTPResponse(status: .noContent)
        addOriginHeaders(origin, to: &response.headers)
        response.headers.add(name: "Vary", value: "Access-Control-Request-Method, Access-Control-Request-Headers")
        guard allowedMethods.contains(HTTPMethod(rawValue: method)) else { return response }
        response.headers.add(name: "Access-Control-Allow-Methods", value: allowedMethods.map(\.rawValue).joined(separator: ", "))
        if let requestedHeaders {
            let names = requestedHeaders.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            if names.allSatisfy({ allowedHeaders.contains($0) }) {
                response.headers.add(name: "Access-Control-Allow-Headers", value: names.joined(separator: ", "))
            }
        }
        response.headers.add(name: "Access-Control-Max-Age", value: String(maxAge))
        return response
    }

    private func addOriginHeaders(_ origin: String, to headers: inout HTTPHeaders) {
        headers.replaceOrAdd(name: "Access-Control-Allow-Origin", value: origin)
        headers.replaceOrAdd(name: "Access-Control-Allow-Credentials", value: "true")
        headers.add(name: "Vary", value: "Origin")
    }
}
