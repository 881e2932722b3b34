import CoreMetrics
import Foundation
import Prometheus
import Synchronization

/// The Prometheus metrics of one server, through swift-metrics with its own registry (so several
/// apps in one test process never share counters).
final class ServerMetrics: Sendable {
    /// What the gauges show, read at scrape time.
    struct Snapshot {
        let openConnections: Int
        let databaseConnectionsOpen: Int
        let databaseConnectionsInUse: Int
        let databaseWaiters: Int
        let requestQueueDepth: Int
        let bcryptQueueDepth: Int
        let bcryptBusy: Int
    }

    private let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    /// Handles by label set: looking them up in the factory costs more than the request it counts.
    private let handles = Mutex<[String: (requests: CoreMetrics.Counter, duration: CoreMetrics.Timer)]>([:])

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(500), .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5),
        ]
        self.factory = factory
    }

    /// One finished request. `route` is the matched pattern, so the label set stays bounded.
    func recordRequest(method: String, route: String, status: Int, nanoseconds: UInt64) {
        let key = "\(method) \(status) \(route)"
        let (requests, duration) = handles.withLock { handles in
            if let known = handles[key] { return known }
            let made = (
                CoreMetrics.Counter(label: "http_requests_total", dimensions: [("method", method), ("route", route), ("status", String(status))], factory: factory),
                CoreMetrics.Timer(label: "http_request_duration_seconds", dimensions: [("route", route)], factory: factory)
            )
            handles[key] = made
            return made
        }
        requests.increment()
        duration.recordNanoseconds(Int64(clamping: nanoseconds))
    }

    /// The text exposition format, with the gauges set from `snapshot` first.
    func render(_ snapshot: Snapshot) -> [UInt8] {
        gauge("http_open_connections", snapshot.openConnections)
        gauge("db_pool_connections_open", snapshot.databaseConnectionsOpen)
        gauge("db_pool_connections_in_use", snapshot.databaseConnectionsInUse)
        gauge("db_pool_waiting_requests", snapshot.databaseWaiters)
        gauge("worker_queue_depth", snapshot.requestQueueDepth)
        gauge("bcrypt_queue_depth", snapshot.bcryptQueueDepth)
        gauge("bcrypt_busy_threads", snapshot.bcryptBusy)
        return registry.emitToBuffer()
    }

    private func gauge(_ label: String, _ value: Int) {
        Gauge(label: label, factory: factory).record(value)
    }
}
