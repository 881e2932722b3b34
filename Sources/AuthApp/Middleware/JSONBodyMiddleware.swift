import Foundation
import HTTPServer

/// Requests that carry a body must carry JSON: anything else is refused before a handler sees
/// it (415 for another media type, 400 for malformed JSON or a non-object).
struct JSONBodyMiddleware: Middleware {
    func handle(_ request: HTTPRequest, context: RequestContext, next: Handler) throws -> HTTPResponse {
        guard !request.body.isEmpty, !context.isServerGenerated else { return try next(request, context) }
        let mediaType = request.headers["Content-Type"]?
            .split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        guard mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json")) else {
            throw HTTPError(.unsupportedMediaType, code: "UNSUPPORTED_MEDIA_TYPE", message: "Send the body as application/json")
        }
        guard (try? JSONSerialization.jsonObject(with: Data(request.body))) is [String: Any] else {
            throw HTTPError(.badRequest, code: "INVALID_JSON", message: "The body is not a JSON object")
        }
        return try next(request, context)
    }
}
