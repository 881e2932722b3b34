import Reactor
import HTTPServer

/// Counts every response by method, route and status, and times it.
struct MetricsMiddleware: Middleware {
    let metrics: ServerMetrics

    func handle(_ request: HTTPRequest, context: RequestContext, next: Handler) throws -> HTTPResponse {
        let response = try next(request, context)
        metrics.recordRequest(method: request.method.rawValue, route: context.route ?? (context.isServerGenerated ? "malformed" : "unmatched"),
                              status: response.status.code, nanoseconds: MonotonicClock.now() - context.receivedAt)
        return response
    }
}
