import Foundation
import HTTPServer

/// `/health` for load balancers (is the database there?) and `/health/live` (is the process?).
/// Both read state already at hand, so they run on the event loop.
struct HealthController: Sendable {
    static let version = "0.1.0"

    let database: DatabaseHealthMonitor
    let startedAt = Date()

    struct Health: Encodable {
        let status: String
        let database: String
        let uptimeSeconds: Int
        let version: String
    }

    struct Live: Encodable {
        let status = "ok"
    }

    func health(_ request: HTTPRequest, context: RequestContext) -> HTTPResponse {
        let up = database.isUp
        return HTTPResponse(status: up ? .ok : .serviceUnavailable, json: Health(
            status: up ? "ok" : "degraded", database: up ? "up" : "down",
            uptimeSeconds: Int(Date().timeIntervalSince(startedAt)), version: HealthController.version
        ))
    }

    private static let live = HTTPResponse(json: Live())

    func live(_ request: HTTPRequest, context: RequestContext) -> HTTPResponse {
        HealthController.live
    }
}
