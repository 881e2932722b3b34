import Logging
import PostgresClient
import Reactor
import Synchronization

/// Pings PostgreSQL about once a second from a timer on one event loop and keeps the answer, so
/// `/health` reads a flag instead of querying: a storm of health checks never becomes a storm of
/// queries, and an outage shows within about two seconds. No thread of its own.
final class DatabaseHealthMonitor: Sendable {
    private let database: PostgresDatabase
    private let loop: EventLoop
    private let logger: Logger
    private let interval: Double
    private let up = Atomic<Bool>(false)
    private let stopped = Atomic<Bool>(false)

    init(database: PostgresDatabase, loop: EventLoop, interval: Double = 1, logger: Logger) {
        self.database = database
        self.loop = loop
        self.interval = interval
        self.logger = logger
    }

    var isUp: Bool { up.load(ordering: .relaxed) }

    /// Pings once (so the first `/health` is right), then keeps pinging.
    func start() async {
        up.store(await database.ping(timeout: interval), ordering: .relaxed)
        loop.execute { [self] in scheduleNextPing() }
    }

    func stop() {
        stopped.store(true, ordering: .relaxed)
    }

    private func scheduleNextPing() {
        guard !stopped.load(ordering: .relaxed) else { return }
        loop.schedule(at: loop.now &+ UInt64(interval * 1e9)) { [self] in
            Task(executorPreference: loop) { [self] in
                let isUp = await database.ping(timeout: interval)
                if up.exchange(isUp, ordering: .relaxed) != isUp {
                    if isUp {
                        logger.notice("Database reachable again")
                    } else {
                        logger.error("Database unreachable")
                    }
                }
                scheduleNextPing()
            }
        }
    }
}
