import Foundation
import Logging

/// A bounded, thread-safe pool of `PostgresConnection`s.
///
/// Connections open lazily, up to `size`. Callers wait in FIFO order for a free one, at most
/// `acquireTimeout`. A connection that broke is closed and replaced by a new one on demand, so
/// the pool recovers from a database outage without a restart.
///
/// **Retry after a lost connection.** Before lending an idle connection the pool checks, without
/// a round trip, whether the server closed it meanwhile (restart, terminated backend), and opens
/// a fresh one instead. If the body still fails with a connection failure on a connection that
/// had been idle, the pool runs the body once more on a fresh connection, but only when nothing
/// sent could have changed data for good: reads outside a transaction, or anything before COMMIT
/// inside one (see `RetrySafety`). So `transaction` bodies and plain reads recover transparently;
/// a lost autocommit write is reported, never applied twice. A body may thus run twice: keep
/// side effects other than its statements out of it.
///
/// Blocking, like `PostgresConnection`: call it from worker threads only.
public final class PostgresPool: @unchecked Sendable {
    public let size: Int
    private let url: String
    private let settings: PostgresConnectionSettings
    private let acquireTimeout: TimeInterval
    private let logger: Logger

    /// Guards everything below and wakes waiters.
    private let condition = NSCondition()
    /// Most recently returned last, and lent first: warm connections get reused.
    private var idle: [PostgresConnection] = []
    /// Idle, lent, and being opened.
    private var openCount = 0
    private var lentCount = 0
    /// Callers waiting for a connection, oldest first.
    private var waiters: [Waiter] = []
    private var isShutDown = false

    /// What a waiter is handed: a connection, or the right to open one.
    private enum Grant {
        case connection(PostgresConnection)
        case openingSlot
    }

    private final class Waiter {
        var grant: Grant?
    }

    private struct Lease {
        let connection: PostgresConnection
        /// Reused from the idle list, rather than opened for this caller.
        let wasIdle: Bool
    }

    /// - Parameters:
    ///   - url: libpq URI or keyword/value string.
    ///   - size: the most connections open at once.
    ///   - connectTimeout: bound on opening one connection.
    ///   - statementTimeout: server-side bound on each statement; 0 disables it.
    ///   - acquireTimeout: how long a caller waits for a free connection before `.poolTimeout`.
    public init(
        url: String,
        size: Int = 10,
        connectTimeout: TimeInterval = 5,
        statementTimeout: TimeInterval = 5,
        acquireTimeout: TimeInterval = 5,
        applicationName: String = "authserver",
        logger: Logger = Logger(label: "PostgresClient")
    ) {
        precondition(size > 0, "a pool needs at least one connection")
        self.url = url
        self.size = size
        self.settings = PostgresConnectionSettings(
            connectTimeout: connectTimeout, statementTimeout: statementTimeout, applicationName: applicationName
        )
        self.acquireTimeout = acquireTimeout
        self.logger = logger
    }

    deinit {
        shutdown()
    }

    /// Lends a connection to `body` and takes it back afterwards, whatever happens.
    @discardableResult
    public func withConnection<Value>(_ body: (PostgresConnection) throws -> Value) throws -> Value {
        let lease = try checkout(waitDeadline: Date() + acquireTimeout)
        do {
            let value = try body(lease.connection)
            checkin(lease.connection)
            return value
        } catch {
            let mayRetry = lease.wasIdle && !lease.connection.mayHaveMadeLastingChange
            checkin(lease.connection)
            guard (error as? PostgresError)?.isConnectionFailure == true else { throw error }
            // The server most likely restarted: the other idle connections are dead too.
            closeIdleConnections()
            guard mayRetry else { throw error }
            logger.warning("PostgreSQL connection lost before any change was sent; running the work again on a new connection")
            let retry = try checkout(waitDeadline: Date() + acquireTimeout)
            defer { checkin(retry.connection) }
            return try body(retry.connection)
        }
    }

    /// Runs `body` in a transaction on a pooled connection: BEGIN, body, COMMIT; ROLLBACK and
    /// rethrow on any error. See `PostgresConnection.transaction`.
    @discardableResult
    public func transaction<Value>(
        isolation: PostgresIsolationLevel? = nil, _ body: (PostgresConnection) throws -> Value
    ) throws -> Value {
        try withConnection { try $0.transaction(isolation: isolation, body) }
    }

    /// Whether the database answers `SELECT 1` within `timeout` seconds, waiting for a free
    /// connection or opening one included. Never throws and never takes much longer than
    /// `timeout`, also when the server is unreachable or the pool exhausted: for health checks.
    public func ping(timeout: TimeInterval = 2) -> Bool {
        let deadline = Date() + timeout
        guard let lease = try? checkout(waitDeadline: deadline, connectDeadline: deadline) else { return false }
        defer { checkin(lease.connection) }
        return lease.connection.ping(deadline: deadline)
    }

    public var stats: PostgresPoolStats {
        condition.lock()
        defer { condition.unlock() }
        return PostgresPoolStats(size: size, open: openCount, inUse: lentCount, waiting: waiters.count)
    }

    /// Closes idle connections at once and lent ones when they come back; waiting and later
    /// callers get `.closed`.
    public func shutdown() {
        condition.lock()
        isShutDown = true
        let closing = takeIdleConnections()
        condition.broadcast()
        condition.unlock()
        closing.forEach { $0.close() }
    }

    // MARK: Lending

    /// - Parameter connectDeadline: bound on opening a connection if one must be opened;
    ///   `settings.connectTimeout` from the moment of opening when nil.
    private func checkout(waitDeadline: Date, connectDeadline: Date? = nil) throws(PostgresError) -> Lease {
        let grant = try waitForGrant(until: waitDeadline)
        if case .connection(let connection) = grant {
            if connection.survivedIdling() {
                connection.resetChangeTracking()
                return Lease(connection: connection, wasIdle: true)
            }
            logger.info("PostgreSQL connection was closed by the server while idle; opening a new one")
            connection.close()
        }
        // Either way this caller now holds an opening slot: one counted in `openCount`.
        do throws(PostgresError) {
            let connection = try PostgresConnection(
                url: url, settings: settings, logger: logger,
                connectDeadline: connectDeadline ?? Date() + settings.connectTimeout
            )
            return Lease(connection: connection, wasIdle: false)
        } catch {
            condition.lock()
            lentCount -= 1
            openCount -= 1
            grantOpeningSlotToNextWaiter()
            condition.unlock()
            throw error
        }
    }

    private func waitForGrant(until deadline: Date) throws(PostgresError) -> Grant {
        condition.lock()
        defer { condition.unlock() }
        guard !isShutDown else { throw .closed }
        // Newcomers queue behind waiters, so nobody is overtaken (FIFO fairness).
        if waiters.isEmpty, let connection = idle.popLast() {
            lentCount += 1
            return .connection(connection)
        }
        if waiters.isEmpty, openCount < size {
            openCount += 1
            lentCount += 1
            return .openingSlot
        }
        let waiter = Waiter()
        waiters.append(waiter)
        while waiter.grant == nil && !isShutDown {
            if !condition.wait(until: deadline) { break }
        }
        // A grant that raced the timeout still counts: it is already accounted to this waiter.
        guard let grant = waiter.grant else {
            waiters.removeAll { $0 === waiter }
            throw isShutDown ? .closed : .poolTimeout
        }
        lentCount += 1
        return grant
    }

    private func checkin(_ connection: PostgresConnection) {
        let reusable = Self.prepareForReuse(connection, logger: logger)
        condition.lock()
        lentCount -= 1
        if reusable && !isShutDown {
            if waiters.isEmpty {
                idle.append(connection)
            } else {
                waiters.removeFirst().grant = .connection(connection)
                condition.broadcast()
            }
            condition.unlock()
            return
        }
        openCount -= 1
        grantOpeningSlotToNextWaiter()
        condition.unlock()
        connection.close()
    }

    /// A connection goes back to the pool only open and outside any transaction, so the next
    /// caller never inherits someone else's half-done work.
    private static func prepareForReuse(_ connection: PostgresConnection, logger: Logger) -> Bool {
        guard connection.isOpen else { return false }
        if connection.isInsideTransactionBlock {
            logger.warning("PostgreSQL connection returned to the pool inside a transaction; rolling it back")
            guard (try? connection.execute("ROLLBACK")) != nil else { return false }
        }
        return connection.isOpen && !connection.isInsideTransactionBlock
    }

    private func closeIdleConnections() {
        condition.lock()
        let closing = takeIdleConnections()
        condition.unlock()
        closing.forEach { $0.close() }
    }

    /// Call with the lock held; the caller closes what it gets, after unlocking.
    private func takeIdleConnections() -> [PostgresConnection] {
        let taken = idle
        idle.removeAll()
        openCount -= taken.count
        for _ in taken { grantOpeningSlotToNextWaiter() }
        return taken
    }

    /// Call with the lock held, after `openCount` dropped.
    private func grantOpeningSlotToNextWaiter() {
        guard !isShutDown, openCount < size, !waiters.isEmpty else { return }
        openCount += 1
        waiters.removeFirst().grant = .openingSlot
        condition.broadcast()
    }
}
