import Reactor
import Foundation
import HTTPServer
import Logging

/// Outermost link: gives each request an id (the client's own when it is sane), a logger that
/// carries it, and one access-log line with the outcome.
struct RequestLogMiddleware: Middleware {
    let logger: Logger

    func handle(_ request: HTTPRequest, context: RequestContext, next: Handler) throws -> HTTPResponse {
        let requestID = request.headers["X-Request-Id"].flatMap(RequestLogMiddleware.acceptable) ?? UUID.random().lowercasedString
        context.requestID = requestID
        context[LoggerKey.self] = logger

        var response = try next(request, context)
        response.headers.replaceOrAdd(name: "X-Request-Id", value: requestID)

        let milliseconds = Double(MonotonicClock.now() - context.receivedAt) / 1e6
        logger.info("request", metadata: [
            "method": "\(request.method)",
            "path": "\(context.isServerGenerated ? "-" : request.path)",
            "status": "\(response.status.code)",
            "durationMs": "\((milliseconds * 100).rounded() / 100)",
            "clientIp": "\(context.clientIP)",
            "requestId": "\(requestID)",
        ])
        return response
    }

    /// API.md: 1 to 128 characters of `[A-Za-z0-9._-]`; anything else could forge log lines.
    static func acceptable(_ candidate: String) -> String? {
        let bytes = candidate.utf8
        guard (1...128).contains(bytes.count), bytes.allSatisfy({ byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                return true
            default:
                return false
            }
        }) else { return nil }
        return candidate
    }
}
