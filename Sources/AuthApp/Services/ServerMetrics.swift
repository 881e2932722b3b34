import CoreMetrics
import FoundationEssentials
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
        let bcryptQueueDepth: Int
        let bcryptBusy: Int
    }

    private let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory
    /// Handles by label set: looking them up in the factory costs more than the request it counts.
    private let handles = Mutex<[LabelSet: (requests: CoreMetrics.Counter, duration: CoreMetrics.Timer)]>([:])

    private struct LabelSet: Hashable {
        let method: String
        let route: String
        let status: Int
    }

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(500), .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5),
        ]
        self.factory = factory
    }

    /// One finished request. The caller bounds the labels: a standard method or `OTHER`, a
    /// route pattern or `unmatched`.
    func recordRequest(method: String, route: String, status: Int, nanoseconds: UInt64) {
        let key = LabelSet(method: method, route: route, status: status)
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

    private let snapshotProvider = Mutex<(@Sendable () -> Snapshot)?>(nil)

    /// Where the gauges come from; set once the server they describe exists.
    func setSnapshot(_ provider: @escaping @Sendable () -> Snapshot) {
        snapshotProvider.withLock { $0 = provider }
    }

    /// The text exposition format, with the gauges read first.
    func render() -> [UInt8] {
        if let snapshot = snapshotProvider.withLock({ $0 })?() { setGauges(snapshot) }
        return registry.emitToBuffer()
    }

    private func setGauges(_ snapshot: Snapshot) {
        gauge("http_open_connections", snapshot.openConnections)
        gauge("db_pool_connections_open", snapshot.databaseConnectionsOpen)
        gauge("db_pool_connections_in_use", snapshot.databaseConnectionsInUse)
        gauge("db_pool_waiting_requests", snapshot.databaseWaiters)
        gauge("bcrypt_queue_depth", snapshot.bcryptQueueDepth)
        gauge("bcrypt_busy_threads", snapshot.bcryptBusy)
    }

    private func gauge(_ label: String, _ value: Int) {
        Gauge(label: label, factory: factory).record(value)
    }
}
