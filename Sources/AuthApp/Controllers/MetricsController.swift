import AuthCrypto
import HTTPServer

/// `GET /metrics`: Prometheus text. Behind `METRICS_TOKEN` when one is set, for deployments that
/// cannot restrict it by network.
struct MetricsController: Sendable {
    let metrics: ServerMetrics
    let token: String?

    func render(_ request: HTTPRequest, context: inout AppContext) throws -> HTTPResponse {
        if let token {
            let presented = AuthenticateMiddleware.bearerToken(in: request) ?? ""
            guard constantTimeEquals(Array(presented.utf8), Array(token.utf8)) else { throw AuthFailure.noToken }
        }
        return HTTPResponse(contentType: "text/plain; version=0.0.4; charset=utf-8", body: metrics.render())
    }
}
