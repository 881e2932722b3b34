import HTTPServer
import Reactor

/// Counts every response by method, route and status, and times it. Every label is bounded:
/// a method outside the standard set counts as `OTHER`, an unmatched path as `unmatched`, a
/// request the server could not parse as `malformed`, so no client can mint new series.
struct MetricsMiddleware: Middleware {
    let metrics: ServerMetrics
    let execution = Execution.inline

    func handle(_ request: HTTPRequest, context: inout AppContext, next: some Responder<AppContext>) async throws -> HTTPResponse {
        let response = try await next(request, &context)
        let route = context.route.pattern ?? (context.isServerFailure ? "malformed" : "unmatched")
        metrics.recordRequest(method: request.method.isStandard ? request.method.rawValue : "OTHER", route: route,
                              status: response.status.code, nanoseconds: MonotonicClock.now() &- context.connection.receivedAt)
        return response
    }
}
