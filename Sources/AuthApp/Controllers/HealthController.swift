import JSON
import HTTPServer
import Reactor

/// `/health` for load balancers (is the database there?) and `/health/live` (is the process?).
/// Both read state already at hand, so they answer inline.
struct HealthController: Sendable {
    static let version = "0.2.0"

    let database: DatabaseHealthMonitor
    private let startedAt = MonotonicClock.now()
    private static let live = HTTPResponse.json(Live())

    struct Health: JSONWritable {
        let isUp: Bool
        let uptimeSeconds: Int

        func write(to json: inout JSONWriter) {
            json.beginObject()
            json.member("status", isUp ? "ok" : "degraded")
            json.member("database", isUp ? "up" : "down")
            json.member("uptimeSeconds", uptimeSeconds)
            json.member("version", HealthController.version)
            json.endObject()
        }
    }

    struct Live: JSONWritable {
        func write(to json: inout JSONWriter) {
            json.beginObject()
            json.member("status", "ok")
            json.endObject()
        }
    }

    init(database: DatabaseHealthMonitor) {
        self.database = database
    }

    func health(_ request: HTTPRequest, context: inout AppContext) -> HTTPResponse {
        let up = database.isUp
        let uptime = Int((context.connection.receivedAt &- startedAt) / 1_000_000_000)
        return .json(Health(isUp: up, uptimeSeconds: uptime), status: up ? .ok : .serviceUnavailable)
    }

    func live(_ request: HTTPRequest, context: inout AppContext) -> HTTPResponse {
        Self.live
    }
}
