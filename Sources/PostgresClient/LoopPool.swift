import Logging
import Reactor
import Synchronization

/// The connections of one event loop and the work waiting for them.
///
/// A statement goes to the least busy connection that no transaction or session holds, pipelined
/// behind what that connection already has in flight (up to `pipelineDepth`). New connections
/// open only when every existing one is saturated or held, up to `capacity`. Work that finds
/// nothing waits here in FIFO order until a connection has room, at most the acquire timeout.
final class LoopPool: @unchecked Sendable {
    // @unchecked Sendable: everything but the `let`s and `counters` (atomics) is touched only on
    // `loop` (asserted in debug builds); the database reaches a pool from other threads only
    // through `loop.execute` or by hopping onto `loop`.

    /// Statements in flight on one connection before the next goes elsewhere or waits: deep enough
    /// to batch a burst, shallow enough that one slow statement delays few others.
    static let pipelineDepth = 64

    let loop: EventLoop
    let capacity: Int
    let counters = PoolCounters()
    let logger: Logger
    private let parameters: ConnectionParameters
    private let settings: PostgresConnectionSettings
    private let acquireTimeout: UInt64
    private let responseTimeout: UInt64
    private var connections: [PipelinedConnection] = []
    private var waiters = RingBuffer<Waiter>()
    private var holdWaiters = 0
    private var statementWaiters = 0
    private var waiterTimer: ScheduledTimer?
    private var waiterTimerDeadline = UInt64.max
    private var dirty: [PipelinedConnection] = []
    /// Counts end-of-batch flushes: connections tell a wake-up's second statement by it.
    private(set) var flushGeneration: UInt64 = 0
    private var nextHolder: UInt64 = 0
    private var isClosed = false

    private enum Waiter {
        case statement(PendingOperation)
        case hold(HoldRequest)

        var isFinished: Bool {
            switch self {
            case .statement(let operation): operation.isFinished
            case .hold(let request): request.isFinished
            }
        }

        var deadline: UInt64 {
            switch self {
            case .statement(let operation): operation.acquireDeadline
            case .hold(let request): request.deadline
            }
        }

        var connectDeadline: UInt64 {
            switch self {
            case .statement(let operation): operation.connectDeadline
            case .hold: .max
            }
        }

        func fail(_ error: PostgresError) {
            switch self {
            case .statement(let operation): operation.finish(error)
            case .hold(let request): request.finish(.failure(error))
            }
        }
    }

    init(
        loop: EventLoop, capacity: Int, parameters: ConnectionParameters, settings: PostgresConnectionSettings,
        acquireTimeout: Double, logger: Logger
    ) {
        self.loop = loop
        self.capacity = capacity
        self.parameters = parameters
        self.settings = settings
        self.acquireTimeout = nanoseconds(acquireTimeout)
        self.responseTimeout = PostgresConnectionSettings.responseTimeout(
            statementTimeout: settings.statementTimeout, margin: settings.responseTimeoutMargin
        )
        self.logger = logger
    }

    var responseTimeoutMargin: Double { settings.responseTimeoutMargin }

    // MARK: Statements

    /// Runs one statement on a shared connection; a read that lost an idle connection runs once more.
    func query(_ sql: String, _ parameters: [PostgresValue]) async throws(PostgresError) -> PostgresResult {
        loop.assertOnLoop()
        var outcome = await perform(sql, parameters)
        if outcome.mayRetry, case .failure(let error) = outcome.result {
            logger.warning("PostgreSQL connection lost before any change was sent; running the statement again: \(error)")
            closeIdleConnections()
            outcome = await perform(sql, parameters)
        }
        return try outcome.result.get()
    }

    /// `SELECT 1` within `timeout`, connecting and waiting included.
    func ping(timeout: Double) async -> Bool {
        loop.assertOnLoop()
        let deadline = loop.now &+ nanoseconds(timeout)
        let outcome = await withUnsafeContinuation { continuation in
            let operation = PendingOperation(
                sql: "SELECT 1", parameters: [], protocol: .extended, acquireDeadline: deadline, connectDeadline: deadline,
                continuation: continuation
            )
            loop.schedule(at: deadline) { operation.finish(.poolTimeout) }
            submit(operation)
        }
        guard case .success(let result) = outcome.result else { return false }
        return result.rows.count == 1
    }

    private func perform(_ sql: String, _ parameters: [PostgresValue]) async -> OperationOutcome {
        await withUnsafeContinuation { continuation in
            submit(PendingOperation(
                sql: sql, parameters: parameters, protocol: .extended, acquireDeadline: loop.now &+ acquireTimeout,
                connectDeadline: .max, continuation: continuation
            ))
        }
    }

    private func submit(_ operation: PendingOperation) {
        guard !isClosed else {
            operation.finish(.closed)
            return
        }
        if waiters.isEmpty, let connection = sharedConnection() {
            connection.send(operation)
            return
        }
        enqueue(.statement(operation))
    }

    /// The least busy connection others' statements may join, with room in its pipeline.
    private func sharedConnection() -> PipelinedConnection? {
        var best: PipelinedConnection?
        for connection in connections where connection.state == .ready && connection.holder == nil {
            let load = connection.inFlight
            guard load < Self.pipelineDepth else { continue }
            if load == 0 { return connection }
            if best == nil || load < best!.inFlight { best = connection }
        }
        return best
    }

    // MARK: Holding

    /// A connection for a transaction or session alone, until `release`.
    func acquire() async throws(PostgresError) -> Lease {
        loop.assertOnLoop()
        let deadline = loop.now &+ acquireTimeout
        let result = await withUnsafeContinuation { continuation in
            let request = HoldRequest(deadline: deadline, continuation: continuation)
            guard !isClosed else {
                request.finish(.failure(.closed))
                return
            }
            if waiters.isEmpty, let connection = holdableConnection() {
                hold(connection, for: request)
            } else {
                enqueue(.hold(request))
            }
        }
        return try result.get()
    }

    /// An idle connection; else, when no more may open, the least busy unheld one (its pipeline
    /// drains ahead of the holder's first statement).
    private func holdableConnection() -> PipelinedConnection? {
        var best: PipelinedConnection?
        for connection in connections where connection.state == .ready && connection.holder == nil {
            if connection.isIdle { return connection }
            if best == nil || connection.inFlight < best!.inFlight { best = connection }
        }
        return connections.count < capacity ? nil : best
    }

    private func hold(_ connection: PipelinedConnection, for request: HoldRequest) {
        nextHolder &+= 1
        connection.holder = nextHolder
        let lease = Lease(connection: connection, holder: nextHolder, wasIdle: connection.hasAnswered && connection.isIdle)
        request.finish(.success(lease))
        publishCounters()
    }

    /// Gives a held connection back to everyone, or closes it when it is not clean.
    func release(_ lease: Lease) {
        loop.assertOnLoop()
        let connection = lease.connection
        guard connection.holder == lease.holder else { return }
        connection.holder = nil
        connection.responseTimeout = responseTimeout
        if connection.state == .ready && !connection.returnToSharing() {
            logger.warning("PostgreSQL connection returned busy or inside a transaction; closing it")
            connection.close(.connection("the connection was returned unclean and closed"))
        }
        publishCounters()
        dispatch()
    }

    /// Runs a statement of the holder's on its connection.
    @discardableResult
    func run(
        _ sql: String, _ parameters: [PostgresValue], protocol: PendingOperation.QueryProtocol, on lease: Lease
    ) async throws(PostgresError) -> PostgresResult {
        loop.assertOnLoop()
        let connection = lease.connection
        guard connection.holder == lease.holder, connection.state == .ready else { throw connection.closeError ?? .closed }
        let outcome = await withUnsafeContinuation { continuation in
            connection.sendHeld(PendingOperation(
                sql: sql, parameters: parameters, protocol: `protocol`, acquireDeadline: .max, connectDeadline: .max,
                continuation: continuation
            ))
        }
        return try outcome.result.get()
    }

    // MARK: Waiting

    private func enqueue(_ waiter: Waiter) {
        waiters.append(waiter)
        switch waiter {
        case .statement: statementWaiters += 1
        case .hold: holdWaiters += 1
        }
        armWaiterTimer(at: waiter.deadline)
        publishCounters()
        openConnectionsIfNeeded(connectDeadline: waiter.connectDeadline)
    }

    private func popWaiter() {
        guard let waiter = waiters.popFirst() else { return }
        forget(waiter)
    }

    private func forget(_ waiter: Waiter) {
        switch waiter {
        case .statement: statementWaiters -= 1
        case .hold: holdWaiters -= 1
        }
    }

    /// Serves waiters in order while connections have room.
    private func dispatch() {
        while !isClosed, let waiter = waiters.first {
            if waiter.isFinished {
                popWaiter()
                continue
            }
            switch waiter {
            case .statement(let operation):
                guard let connection = sharedConnection() else { break }
                popWaiter()
                connection.send(operation)
                continue
            case .hold(let request):
                guard let connection = holdableConnection() else { break }
                popWaiter()
                hold(connection, for: request)
                continue
            }
            break
        }
        publishCounters()
        openConnectionsIfNeeded(connectDeadline: .max)
    }

    /// One connection opening serves every waiting statement; each waiting holder needs its own.
    private func openConnectionsIfNeeded(connectDeadline: UInt64) {
        guard !isClosed else { return }
        let opening = connections.reduce(0) { $0 + ($1.state == .connecting ? 1 : 0) }
        let needed = holdWaiters + (statementWaiters > 0 ? 1 : 0)
        var toOpen = min(needed - opening, capacity - connections.count)
        while toOpen > 0 {
            open(connectDeadline: min(connectDeadline, loop.now &+ nanoseconds(settings.connectTimeout)))
            toOpen -= 1
        }
    }

    private func open(connectDeadline: UInt64) {
        let connection = PipelinedConnection(loop: loop, pool: self, logger: logger, responseTimeout: responseTimeout)
        connections.append(connection)
        publishCounters()
        connection.startConnecting(parameters, deadline: connectDeadline)
    }

    private func armWaiterTimer(at deadline: UInt64) {
        guard deadline < waiterTimerDeadline else { return }
        if let waiterTimer { loop.cancel(waiterTimer) }
        waiterTimerDeadline = deadline
        waiterTimer = loop.schedule(at: deadline) { [self] in
            waiterTimer = nil
            waiterTimerDeadline = .max
            let now = loop.now
            let expired = waiters.remove { $0.isFinished || $0.deadline <= now }
            for waiter in expired {
                forget(waiter)
                waiter.fail(.poolTimeout)
            }
            let next = waiters.reduce(UInt64.max) { min($0, $1.deadline) }
            if next != .max { armWaiterTimer(at: next) }
            publishCounters()
        }
    }

    // MARK: Connection events

    func connectionReady(_ connection: PipelinedConnection) {
        dispatch()
    }

    func operationCompleted(on connection: PipelinedConnection) {
        if !waiters.isEmpty { dispatch() }
    }

    func connectionBusyChanged() {
        publishCounters()
    }

    func connectionClosed(_ connection: PipelinedConnection, error: PostgresError, whileConnecting: Bool) {
        connections.removeAll { $0 === connection }
        if whileConnecting && !isClosed {
            // The server refused or did not answer: those waiting would only wait out their
            // timeout for capacity that cannot be had now.
            logger.warning("PostgreSQL connection could not be opened: \(error)")
            for waiter in waiters.removeAll() {
                forget(waiter)
                waiter.fail(error)
            }
        }
        publishCounters()
        dispatch()
    }

    /// After a connection failure the server has likely restarted: idle connections are dead too.
    func closeIdleConnections() {
        for connection in connections where connection.state == .ready && connection.holder == nil && connection.isIdle {
            connection.close(.connection("closed after another connection failed"))
        }
    }

    // MARK: Flushing

    /// Flushes `connection` at the end of this wake-up, with everything else queued in it.
    func markDirty(_ connection: PipelinedConnection) {
        guard !connection.isDirty else { return }
        connection.isDirty = true
        dirty.append(connection)
        if dirty.count == 1 {
            loop.runBeforeWaiting { [self] in flushDirty() }
        }
    }

    private func flushDirty() {
        flushGeneration &+= 1
        let flushing = dirty
        dirty.removeAll(keepingCapacity: true)
        for connection in flushing {
            connection.isDirty = false
            connection.flush()
        }
    }

    // MARK: Shutdown and stats

    func close() {
        loop.assertOnLoop()
        isClosed = true
        for waiter in waiters.removeAll() {
            forget(waiter)
            waiter.fail(.closed)
        }
        for connection in connections {
            connection.close(.closed)
        }
        publishCounters()
    }

    var statementsInFlight: Int {
        connections.reduce(0) { $0 + $1.inFlight }
    }

    private func publishCounters() {
        var inUse = 0
        for connection in connections where connection.holder != nil || !connection.isIdle {
            inUse += 1
        }
        counters.open.store(connections.count, ordering: .relaxed)
        counters.inUse.store(inUse, ordering: .relaxed)
        counters.waiting.store(waiters.count, ordering: .relaxed)
    }
}

/// A connection lent to one transaction or session.
struct Lease: Sendable {
    let connection: PipelinedConnection
    let holder: UInt64
    /// Reused after earlier work with nothing in flight, rather than opened for this holder: a
    /// connection failure then most likely means the server restarted meanwhile.
    let wasIdle: Bool
}

/// A transaction or session waiting for a connection of its own.
final class HoldRequest {
    let deadline: UInt64
    private var continuation: UnsafeContinuation<Result<Lease, PostgresError>, Never>?

    init(deadline: UInt64, continuation: UnsafeContinuation<Result<Lease, PostgresError>, Never>) {
        self.deadline = deadline
        self.continuation = continuation
    }

    var isFinished: Bool { continuation == nil }

    func finish(_ result: Result<Lease, PostgresError>) {
        guard let continuation else { return }
        self.continuation = nil
        continuation.resume(returning: result)
    }
}

/// A pool's use, readable from any thread.
final class PoolCounters: Sendable {
    let open = Atomic<Int>(0)
    let inUse = Atomic<Int>(0)
    let waiting = Atomic<Int>(0)
}
