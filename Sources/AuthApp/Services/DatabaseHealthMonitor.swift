import Foundation
import Logging
import PostgresClient
import Synchronization

/// Pings PostgreSQL about once a second on its own thread and keeps the answer, so `/health`
/// reads a flag instead of querying: a storm of health checks never becomes a storm of queries,
/// and an outage shows within about two seconds.
final class DatabaseHealthMonitor: Sendable {
    private let pool: PostgresPool
    private let logger: Logger
    private let interval: Double
    private let up = Atomic<Bool>(false)
    private let stopped = Atomic<Bool>(false)

    init(pool: PostgresPool, interval: Double = 1, logger: Logger) {
        self.pool = pool
        self.interval = interval
        self.logger = logger
    }

    var isUp: Bool { up.load(ordering: .relaxed) }

    func start() {
        up.store(pool.ping(timeout: interval), ordering: .relaxed)
        let thread = Thread { [self] in
            while !stopped.load(ordering: .relaxed) {
                Thread.sleep(forTimeInterval: interval)
                let isUp = pool.ping(timeout: interval)
                if up.exchange(isUp, ordering: .relaxed) != isUp {
                    if isUp {
                        logger.notice("Database reachable again")
                    } else {
                        logger.error("Database unreachable")
                    }
                }
            }
        }
        thread.name = "database-health"
        thread.start()
    }

    func stop() {
        stopped.store(true, ordering: .relaxed)
    }
}
