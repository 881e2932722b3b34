import Logging
import PostgresClient
import Reactor
import Synchronization

/// Deletes audit rows older than `AUDIT_RETENTION`, from every instance (each deletes what no
/// other is deleting, `FOR UPDATE SKIP LOCKED`). A pass deletes in batches of `batchSize` rows,
/// one short statement each, so the table is never locked for long, until a batch comes back
/// short; passes run at start and then every `interval` seconds. `stop` ends the task between
/// two batches and returns once it has ended.
final class AuditRetention: Sendable {
    private let database: PostgresDatabase
    private let auditLog: AuditRepository
    private let retention: Int
    private let interval: Double
    private let batchSize: Int
    private let logger: Logger
    private let ticker: LoopWakeup
    private let loop: EventLoop
    private let stopping = Atomic<Bool>(false)
    private let running = Monitor(false)

    /// `interval` defaults to an hour, or the retention itself when that is shorter.
    init(database: PostgresDatabase, retention: Int, loop: EventLoop, logger: Logger, batchSize: Int = 1000, interval: Double? = nil) {
        self.database = database
        auditLog = AuditRepository()
        self.retention = retention
        self.interval = interval ?? Double(min(retention, 3600))
        self.batchSize = batchSize
        self.logger = logger
        self.loop = loop
        ticker = LoopWakeup(loop: loop)
    }

    /// Starts the task; call once, after the migrations.
    func start() {
        running.withLock { $0 = true }
        Task(executorPreference: loop) { [self] in
            while !isStopping {
                await purge()
                await ticker.wait(timeout: interval)
            }
            running.withLock { $0 = false }
            running.broadcast()
        }
    }

    /// Ends the task and returns when it has; from a thread that is not an event loop's.
    func stop() {
        if !stopping.exchange(true, ordering: .relaxed) { ticker.close() }
        running.withLock(when: { !$0 }) { _ in }
    }

    private var isStopping: Bool { stopping.load(ordering: .relaxed) }

    private func purge() async {
        var total = 0
        do {
            while !isStopping {
                let deleted = try await auditLog.purge(olderThanSeconds: retention, batch: batchSize, on: database)
                total += deleted
                if deleted < batchSize { break }
            }
        } catch {
            logger.warning("audit: cannot delete rows past AUDIT_RETENTION; retrying later", metadata: ["error": "\(error)"])
        }
        if total > 0 {
            logger.info("audit: deleted rows past AUDIT_RETENTION", metadata: ["rows": "\(total)"])
        }
    }
}
