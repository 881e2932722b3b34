import HTTPServer
import Logging
import Reactor

/// Outermost link: gives each request an id (the client's own when it is sane), a logger that
/// carries it, and one access-log line with the outcome.
struct RequestLogMiddleware: Middleware {
    let logger: Logger
    let requestIDs = RequestIDGenerator()
    let execution = Execution.inline

    func handle(_ request: HTTPRequest, context: inout AppContext, next: some Responder<AppContext>) async throws -> HTTPResponse {
        context.requestID = request.headers["X-Request-Id"].flatMap(Self.acceptable) ?? requestIDs.next()
        context.setLogger(logger)
        var response = try await next(request, &context)
        response.headers.add("X-Request-Id", context.requestID)
        let milliseconds = Double(MonotonicClock.now() &- context.connection.receivedAt) / 1e6
        let route = context.route
        let clientIP = context.clientHost
        let requestID = context.requestID
        // The metadata is an autoclosure: nothing below is formatted unless info is enabled.
        logger.info("request", metadata: [
            "method": "\(request.method)",
            "path": "\(route.pattern == nil && request.path.utf8.count > 256 ? String(request.path.prefix(256)) : request.path)",
            "status": "\(response.status.code)",
            "durationMs": "\((milliseconds * 100).rounded() / 100)",
            "clientIp": "\(clientIP)",
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
