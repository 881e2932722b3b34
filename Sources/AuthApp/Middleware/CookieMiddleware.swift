import Foundation
import HTTPServer

/// Parses the `Cookie` header (RFC 6265 §4.2.1: `name=value` pairs joined by "; ") for handlers.
struct CookieMiddleware: Middleware {
    func handle(_ request: HTTPRequest, context: RequestContext, next: Handler) throws -> HTTPResponse {
        let headers = request.headers.values("Cookie")
        if !headers.isEmpty {
            context[CookiesKey.self] = CookieMiddleware.parse(headers)
        }
        return try next(request, context)
    }

    /// The first occurrence of a name wins, as browsers send the most specific cookie first.
    static func parse(_ headers: [String]) -> [String: String] {
        var cookies: [String: String] = [:]
        for header in headers {
            for pair in header.split(separator: ";") {
                guard let equals = pair.firstIndex(of: "=") else { continue }
                let name = pair[..<equals].trimmingCharacters(in: .whitespaces)
                var value = pair[pair.index(after: equals)...].trimmingCharacters(in: .whitespaces)
                if value.count >= 2 && value.hasPrefix("\"") && value.hasSuffix("\"") {
                    value = String(value.dropFirst().dropLast())
                }
                if !name.isEmpty && cookies[name] == nil {
                    cookies[name] = value
                }
            }
        }
        return cookies
    }
}
