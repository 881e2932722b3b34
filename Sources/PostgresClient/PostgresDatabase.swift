import Logging
import Reactor
import Synchronization

/// Non-blocking PostgreSQL connections on each event loop of a group; a query runs on the
/// caller's loop, so a request's task, its socket and its statements never change threads.
///
/// ```swift
/// let database = try PostgresDatabase(url: url, group: group, size: 8)
/// let row = try await database.query("SELECT id FROM users WHERE email = $1", [.text(email)]).rows.first
/// try await database.transaction { transaction in
///     try await transaction.query("UPDATE sessions SET revoked_at = now() WHERE id = $1", [.uuid(id)])
/// }
/// ```
///
/// Each loop owns its share of `size` connections, opened lazily. Statements of the tasks on a
/// loop are pipelined together on its connections (one sync point each, so an error aborts only
/// its own statement) and leave in one write per wake-up. Transactions and sessions hold a
/// connection of their loop alone. A caller off every loop of the group (a CLI, a test) runs on
/// `group.next()` and resumes where it was.
///
/// **Retry after a lost connection.** A read outside a transaction that fails with a connection
/// failure on a connection that had been idle runs once more, as does a transaction or session
/// body that had sent nothing lasting (nothing before COMMIT; see `RetrySafety`). A body may thus
/// run twice: keep side effects other than its statements out of it. A lost autocommit write is
/// reported, never applied twice.
///
/// Call `shutdown()` before the group's.
public final class PostgresDatabase: Sendable {
    private let group: EventLoopGroup
    private let pools: [LoopPool]
    private let isShutDown = Atomic<Bool>(false)
    private let logger: Logger

    /// - Parameters:
    ///   - url: libpq URI or keyword/value string; a malformed one throws here, a wrong one on first use.
    ///   - size: total connections, split across the loops (each loop gets at least one).
    ///   - acquireTimeout: how long work waits for a connection with room before `.poolTimeout`.
    public init(
        url: String, group: EventLoopGroup, size: Int, settings: PostgresConnectionSettings = .init(),
        acquireTimeout: Double = 5, logger: Logger = Logger(label: "PostgresClient")
    ) throws(PostgresError) {
        precondition(size > 0, "a database needs at least one connection")
        let parameters = try ConnectionParameters(url: url, settings: settings)
        let loops = group.loops
        self.group = group
        self.logger = logger
        pools = loops.enumerated().map { index, loop in
            let share = size / loops.count + (index < size % loops.count ? 1 : 0)
            return LoopPool(
                loop: loop, capacity: max(1, share), parameters: parameters, settings: settings,
                acquireTimeout: acquireTimeout, logger: logger
            )
        }
    }

    /// The pool of the loop the caller runs on, else the next loop's.
    private func pool() -> LoopPool {
        if let loop = EventLoop.current {
            for pool in pools where pool.loop === loop { return pool }
        }
        let loop = group.next()
        return pools.first { $0.loop === loop } ?? pools[0]
    }

    /// One statement with `$1`, `$2`, ... parameters, prepared once per connection (by SQL
    /// text) and pipelined with other tasks' statements on a connection of the caller's loop.
    @discardableResult
    public func query(_ sql: String, _ parameters: [PostgresValue] = []) async throws(PostgresError) -> PostgresResult {
        guard !isShutDown.load(ordering: .relaxed) else { throw .closed }
        let pool = pool()
        return try await onLoop(pool.loop) { () async throws(PostgresError) -> PostgresResult in
            try await pool.query(sql, parameters)
        }
    }

    /// Runs `body` between BEGIN and COMMIT on a connection held for it alone. Any error thrown by
    /// `body` or by COMMIT rolls the transaction back and is rethrown, so no half-written change is
    /// ever kept: also when `body` caught a statement error and carried on (SQLSTATE 25P02).
    @discardableResult
    public func transaction<T: Sendable>(
        isolation: PostgresIsolationLevel? = nil, _ body: (PostgresTransaction) async throws -> T
    ) async throws -> T {
        guard !isShutDown.load(ordering: .relaxed) else { throw PostgresError.closed }
        let pool = pool()
        return try await onLoop(pool.loop) { () async throws -> T in
            try await pool.withLease(retrying: { lease, _ in lease.wasIdle }) { lease, progress in
                try await pool.transaction(on: lease, isolation: isolation, progress: progress, body)
            }
        }
    }

    /// A connection held for `body`, for simple-protocol SQL (several statements in one string:
    /// migrations), session settings and advisory locks. Afterwards it is rolled back if a
    /// transaction was left open and reset (settings, locks, temporary tables, cursors), or closed
    /// when that fails: never returned to others dirty.
    @discardableResult
    public func withSession<T: Sendable>(_ body: (PostgresSession) async throws -> T) async throws -> T {
        guard !isShutDown.load(ordering: .relaxed) else { throw PostgresError.closed }
        let pool = pool()
        return try await onLoop(pool.loop) { () async throws -> T in
            try await pool.withLease(retrying: { lease, progress in lease.wasIdle && !progress.mayHaveMadeLastingChange }) { lease, progress in
                let session = PostgresSession(pool: pool, lease: lease, progress: progress)
                do {
                    let value = try await body(session)
                    await pool.restore(lease, used: progress.used)
                    return value
                } catch {
                    await pool.restore(lease, used: progress.used)
                    throw error
                }
            }
        }
    }

    /// Whether the database answers `SELECT 1` within `timeout` seconds, waiting for a
    /// connection or opening one included. Never throws and never takes much longer than
    /// `timeout`, also when the server is unreachable or every connection is held: for health checks.
    public func ping(timeout: Double) async -> Bool {
        guard !isShutDown.load(ordering: .relaxed) else { return false }
        let pool = pool()
        return await onLoop(pool.loop) { () async -> Bool in
            await pool.ping(timeout: timeout)
        }
    }

    /// A snapshot of every loop's connections, from any thread.
    public var stats: PostgresPoolStats {
        var open = 0
        var inUse = 0
        var waiting = 0
        for pool in pools {
            open += pool.counters.open.load(ordering: .relaxed)
            inUse += pool.counters.inUse.load(ordering: .relaxed)
            waiting += pool.counters.waiting.load(ordering: .relaxed)
        }
        return PostgresPoolStats(size: pools.reduce(0) { $0 + $1.capacity }, open: open, inUse: inUse, waiting: waiting)
    }

    /// Statements sent and not yet answered, on every loop: for tests that need a statement in flight.
    func statementsInFlight() async -> Int {
        var total = 0
        for pool in pools {
            total += await withUnsafeContinuation { (continuation: UnsafeContinuation<Int, Never>) in
                pool.loop.execute { continuation.resume(returning: pool.statementsInFlight) }
            }
        }
        return total
    }

    /// Closes every connection; work waiting or issued afterwards fails with `.closed`, and so do
    /// statements of transactions and sessions still running.
    public func shutdown() async {
        isShutDown.store(true, ordering: .relaxed)
        for pool in pools {
            await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
                pool.loop.execute {
                    pool.close()
                    continuation.resume()
                }
            }
        }
    }
}
