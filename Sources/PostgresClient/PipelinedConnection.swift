import CLibPQ
import Glibc
import Logging
import Reactor

/// One PostgreSQL session over non-blocking libpq, owned by one event loop: opened with
/// `PQconnectPoll` driven by epoll, then kept in pipeline mode so statements of many tasks travel
/// together. Each statement carries its own sync point, so an error aborts only that statement.
///
/// Operations wait in `pending` in the order they were sent; the results arriving on readable
/// events are matched to them in that order (per statement: its results, then NULL, then
/// `PGRES_PIPELINE_SYNC`).
final class PipelinedConnection: IOHandler, @unchecked Sendable {
    // @unchecked Sendable: every member is touched only on `loop` (asserted in debug builds);
    // transaction and session handles carry a reference across threads but hop to `loop`
    // before they touch it.

    enum State {
        case connecting, ready, closed
    }

    /// Past this many distinct statements, new SQL runs unprepared, so SQL built at run time
    /// cannot grow the server's memory without bound.
    static let preparedStatementLimit = 500

    let loop: EventLoop
    private unowned let pool: LoopPool
    private let logger: Logger
    private(set) var state = State.connecting
    private var handle: OpaquePointer?
    private var socket: Int32 = -1
    private var watching: IOEvents = []
    /// Sent, awaiting results, oldest first.
    private(set) var pending = RingBuffer<PendingOperation>()
    /// Operations of the holder that need the other protocol mode, sent once `pending` drains.
    private var deferred = RingBuffer<PendingOperation>()
    /// The transaction or session holding this connection, if any; others' statements keep off it.
    var holder: UInt64?
    private(set) var inPipelineMode = false
    private var statements: [String: PreparedStatement] = [:]
    private var statementCount = 0
    /// Reused for every statement's parameter texts, NUL-terminated one after another.
    private var parameterBytes: [UInt8] = []
    private var parameterStarts: [Int] = []
    /// The flush generation (wake-up batch) that was sent onto this connection while nothing was
    /// in flight: what that batch carries may be retried after a connection failure, since the
    /// connection most likely broke while idle (a server restart) rather than under it.
    private var idleBatch: UInt64?
    /// Some operation completed here: a failure now is not a failure to connect.
    private(set) var hasAnswered = false
    /// Client-side bound on an answer for new operations, nanoseconds; 0: none.
    var responseTimeout: UInt64
    /// When the head of `pending` became the head: its answer is due `responseTimeout` later.
    private var headSince: UInt64 = 0
    private var deadlineTimer: ScheduledTimer?
    private var connectTimer: ScheduledTimer?
    /// TCP (not a unix socket): `TCP_CORK` can coalesce a batch's writes.
    private var corkable = false
    private var corked = false
    private var sentInFlushGeneration: UInt64 = .max
    /// Listed in the pool's flush list for this wake-up.
    var isDirty = false
    private(set) var closeError: PostgresError?

    init(loop: EventLoop, pool: LoopPool, logger: Logger, responseTimeout: UInt64) {
        self.loop = loop
        self.pool = pool
        self.logger = logger
        self.responseTimeout = responseTimeout
    }

    deinit {
        if let handle { PQfinish(handle) }
    }

    var isIdle: Bool { pending.isEmpty && deferred.isEmpty }
    var inFlight: Int { pending.count + deferred.count }

    var transactionStatus: PGTransactionStatusType {
        handle.map { PQtransactionStatus($0) } ?? PQTRANS_UNKNOWN
    }

    var isInTransactionBlock: Bool {
        let status = transactionStatus
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR
    }

    var isTransactionAborted: Bool { transactionStatus == PQTRANS_INERROR }

    // MARK: Opening

    /// Starts connecting; `pool.connectionReady` or `pool.connectionClosed` follows, never
    /// synchronously.
    func startConnecting(_ parameters: ConnectionParameters, deadline: UInt64) {
        loop.assertOnLoop()
        handle = parameters.connectStart()
        guard let handle, PQstatus(handle) != CONNECTION_BAD else {
            let error = PostgresError.connectionFailure(handle)
            loop.execute { [self] in close(error) }
            return
        }
        connectTimer = loop.schedule(at: deadline) { [self] in
            connectTimer = nil
            if state == .connecting { close(.connection("timed out connecting to the server")) }
        }
        // libpq: after PQconnectStart, behave as if PQconnectPoll had said PGRES_POLLING_WRITING.
        rewatchWhileConnecting(.writable)
    }

    private func continueConnecting() {
        guard let handle else { return }
        switch PQconnectPoll(handle) {
        case PGRES_POLLING_OK: becomeReady(handle)
        case PGRES_POLLING_READING: rewatchWhileConnecting(.readable)
        case PGRES_POLLING_WRITING: rewatchWhileConnecting(.writable)
        default: close(.connectionFailure(handle))
        }
    }

    /// libpq may close its socket and open another while connecting (next address, SSL
    /// fallback), possibly under the same number, and epoll forgets a closed descriptor: so each
    /// step registers afresh.
    private func rewatchWhileConnecting(_ events: IOEvents) {
        guard let handle else { return }
        if socket >= 0 { loop.deregister(socket) }
        socket = PQsocket(handle)
        watching = []
        guard socket >= 0 else {
            close(.connectionFailure(handle))
            return
        }
        do {
            try loop.register(socket, for: events, handler: self)
            watching = events
        } catch {
            close(.connection("cannot watch the connection's socket: \(error)"))
        }
    }

    private func becomeReady(_ handle: OpaquePointer) {
        if let connectTimer { loop.cancel(connectTimer) }
        connectTimer = nil
        guard PQsetnonblocking(handle, 1) == 0, PQenterPipelineMode(handle) == 1 else {
            close(.connectionFailure(handle))
            return
        }
        inPipelineMode = true
        // Without a receiver libpq prints server notices to stderr, past the logging setup.
        PQsetNoticeReceiver(handle, { context, notice in
            guard let context, let notice else { return }
            Unmanaged<PipelinedConnection>.fromOpaque(context).takeUnretainedValue().log(notice: notice)
        }, Unmanaged.passUnretained(self).toOpaque())
        corkable = Self.isTCP(socket)
        state = .ready
        watch(.readable)
        pool.connectionReady(self)
    }

    private static func isTCP(_ socket: Int32) -> Bool {
        var domain: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(socket, SOL_SOCKET, SO_DOMAIN, &domain, &length) == 0 else { return false }
        return domain == AF_INET || domain == AF_INET6
    }

    // MARK: Sending

    /// Sends a statement of anyone's on this shared connection (pipeline mode).
    func send(_ operation: PendingOperation) {
        loop.assertOnLoop()
        guard state == .ready, let handle else {
            operation.finish(closeError ?? .closed)
            return
        }
        guard !operation.isFinished else { return }
        let wasIdle = pending.isEmpty
        let sent: Bool
        switch operation.queryProtocol {
        case .extended: sent = sendExtended(operation, on: handle)
        case .simple: sent = sendSimple(operation, on: handle)
        }
        guard sent else {
            close(.connectionFailure(handle))
            return
        }
        guard !operation.isFinished else { return }  // refused before sending (a NUL in a parameter)
        if wasIdle {
            idleBatch = pool.flushGeneration
            headSince = loop.now
        }
        operation.retryable = holder == nil && hasAnswered && idleBatch == pool.flushGeneration && (operation.statement?.isRead ?? false)
        operation.responseTimeout = responseTimeout
        pending.append(operation)
        if wasIdle { pool.connectionBusyChanged() }
        armDeadline()
        pool.markDirty(self)
    }

    /// Sends a statement of the holder's, switching protocol mode once the pipeline drains.
    func sendHeld(_ operation: PendingOperation) {
        if deferred.isEmpty && enterMode(for: operation) {
            send(operation)
        } else {
            deferred.append(operation)
        }
    }

    /// Whether `operation` can be sent now, switching pipeline mode if it must and may.
    private func enterMode(for operation: PendingOperation) -> Bool {
        let wantsPipeline = operation.queryProtocol == .extended
        if wantsPipeline == inPipelineMode { return wantsPipeline || pending.isEmpty }
        guard pending.isEmpty, let handle else { return false }
        let switched = wantsPipeline ? PQenterPipelineMode(handle) == 1 : PQexitPipelineMode(handle) == 1
        if switched { inPipelineMode = wantsPipeline }
        return switched
    }

    /// Back to pipeline mode for everyone's statements; false when the connection is not clean.
    func returnToSharing() -> Bool {
        guard state == .ready, isIdle, transactionStatus == PQTRANS_IDLE, let handle else { return false }
        if !inPipelineMode {
            guard PQenterPipelineMode(handle) == 1 else { return false }
            inPipelineMode = true
        }
        return true
    }

    private func sendExtended(_ operation: PendingOperation, on handle: OpaquePointer) -> Bool {
        guard encodeParameters(operation) else { return true }
        if !corked && corkable && LibPQPipeline.sendPipelineSync == nil && sentInFlushGeneration == pool.flushGeneration {
            // libpq < 17 writes at every sync: a second statement in one wake-up waits in the
            // kernel for the rest, and they leave in full packets at the end-of-batch flush.
            var one: Int32 = 1
            corked = setsockopt(socket, Int32(IPPROTO_TCP), TCP_CORK, &one, socklen_t(MemoryLayout<Int32>.size)) == 0
        }
        sentInFlushGeneration = pool.flushGeneration

        var statement = statements[operation.sql]
        if statement == nil && statementCount < Self.preparedStatementLimit {
            let prepared = PreparedStatement(name: "s\(statementCount)", sql: operation.sql)
            statementCount += 1
            guard PQsendPrepare(handle, prepared.name, operation.sql, 0, nil) == 1 else { return false }
            statements[operation.sql] = prepared
            operation.preparedHere = true
            statement = prepared
        }
        operation.statement = statement
        operation.phase = operation.preparedHere ? .awaitingPrepare : .awaitingExecute
        let count = Int32(parameterStarts.count)
        let queued = parameterBytes.withUnsafeBufferPointer { bytes in
            withUnsafeTemporaryAllocation(of: UnsafePointer<CChar>?.self, capacity: parameterStarts.count) { values in
                for (index, start) in parameterStarts.enumerated() {
                    values[index] = start < 0 ? nil : UnsafeRawPointer(bytes.baseAddress! + start).assumingMemoryBound(to: CChar.self)
                }
                if let statement {
                    return PQsendQueryPrepared(handle, statement.name, count, values.baseAddress, nil, nil, 0)
                }
                return PQsendQueryParams(handle, operation.sql, count, nil, values.baseAddress, nil, nil, 0)
            }
        }
        return queued == 1 && LibPQPipeline.sync(handle)
    }

    private func sendSimple(_ operation: PendingOperation, on handle: OpaquePointer) -> Bool {
        operation.phase = .awaitingSimple
        if operation.sql.utf8.contains(0) {
            operation.finish(.query(sqlState: "22021", message: "the SQL contains a NUL character", detail: nil, constraint: nil))
            return true
        }
        return PQsendQuery(handle, operation.sql) == 1
    }

    /// Lays the parameters out in `parameterBytes`; false (the operation failed) when one cannot be sent.
    private func encodeParameters(_ operation: PendingOperation) -> Bool {
        parameterBytes.removeAll(keepingCapacity: true)
        parameterStarts.removeAll(keepingCapacity: true)
        for (index, parameter) in operation.parameters.enumerated() {
            let start = parameterBytes.count
            guard parameter.appendText(to: &parameterBytes) else {
                parameterStarts.append(-1)
                continue
            }
            // A C string would silently end at the NUL; PostgreSQL text cannot hold one anyway.
            if case .text = parameter, parameterBytes[start...].contains(0) {
                operation.finish(.query(sqlState: "22021", message: "parameter $\(index + 1) contains a NUL character", detail: nil, constraint: nil))
                return false
            }
            parameterBytes.append(0)
            parameterStarts.append(start)
        }
        if parameterBytes.isEmpty { parameterBytes.append(0) }  // a base address even when all are NULL
        return true
    }

    /// Pushes what libpq buffered (and the kernel held back) to the server: once per wake-up.
    func flush() {
        guard state == .ready, let handle else { return }
        let flushed = PQflush(handle)
        if corked {
            var zero: Int32 = 0
            setsockopt(socket, Int32(IPPROTO_TCP), TCP_CORK, &zero, socklen_t(MemoryLayout<Int32>.size))
            corked = false
        }
        switch flushed {
        case 0: watch(.readable)
        case 1: watch([.readable, .writable])
        default: close(.connectionFailure(handle))
        }
    }

    private func watch(_ events: IOEvents) {
        guard events != watching, state == .ready else { return }
        do {
            try loop.modify(socket, for: events)
            watching = events
        } catch {
            close(.connection("cannot watch the connection's socket: \(error)"))
        }
    }

    // MARK: Events

    func handle(_ events: IOEvents) {
        switch state {
        case .connecting:
            continueConnecting()
        case .ready:
            if events.contains(.writable) { flush() }
            if state == .ready && !events.isDisjoint(with: [.readable, .failed]) { readInput() }
        case .closed:
            break
        }
    }

    private func readInput() {
        guard let handle else { return }
        let consumed = PQconsumeInput(handle) == 1
        // Parse what did arrive first: a FATAL message before the close is worth reporting.
        processResults()
        guard state == .ready else { return }
        if !consumed || PQstatus(handle) == CONNECTION_BAD {
            close(.connectionFailure(handle))
        }
    }

    // MARK: Deadlines

    private func armDeadline() {
        guard deadlineTimer == nil, let head = pending.first, head.responseTimeout > 0 else { return }
        deadlineTimer = loop.schedule(at: headSince &+ head.responseTimeout) { [self] in
            deadlineTimer = nil
            guard state == .ready, let head = pending.first else { return }
            if head.responseTimeout > 0 && headSince &+ head.responseTimeout <= loop.now {
                let seconds = Double(head.responseTimeout) / 1e9
                close(.connection("no answer from the server within \(seconds) s; the connection was closed"))
            } else {
                armDeadline()
            }
        }
    }

    // MARK: Closing

    /// Ends the session and fails everything in flight with `error` (or the connection failure
    /// an operation already saw). Idempotent.
    func close(_ error: PostgresError) {
        guard state != .closed else { return }
        let wasConnecting = state == .connecting
        state = .closed
        closeError = error
        if let deadlineTimer { loop.cancel(deadlineTimer) }
        if let connectTimer { loop.cancel(connectTimer) }
        deadlineTimer = nil
        connectTimer = nil
        if socket >= 0 { loop.deregister(socket) }
        socket = -1
        if let handle { PQfinish(handle) }
        handle = nil
        for operation in pending.removeAll() + deferred.removeAll() {
            let own = operation.error.flatMap { $0.isConnectionFailure ? $0 : nil } ?? error
            operation.finish(own, mayRetry: operation.retryable && own.isConnectionFailure)
        }
        pool.connectionClosed(self, error: error, whileConnecting: wasConnecting)
    }

    // MARK: Results

    /// Takes every result libpq has complete, in order, and resumes each finished operation.
    private func processResults() {
        while state == .ready, let handle, let operation = pending.first, PQisBusy(handle) == 0 {
            let result = PQgetResult(handle)
            idleBatch = nil
            switch operation.phase {
            case .awaitingPrepare:
                guard let result else {
                    operation.phase = .awaitingExecute
                    continue
                }
                if PQresultStatus(result) != PGRES_COMMAND_OK {
                    let error = PostgresError(failed: result, on: handle)
                    operation.statement?.failure = error
                    forget(operation.statement, sql: operation.sql)
                    if operation.error == nil { operation.error = error }
                }
                PQclear(result)
            case .awaitingExecute, .awaitingSimple:
                guard let result else {
                    if operation.phase == .awaitingSimple {
                        complete(operation)
                    } else {
                        operation.phase = .awaitingSync
                    }
                    continue
                }
                let unsupported = absorb(result, into: operation, on: handle)
                PQclear(result)
                if let unsupported {
                    close(unsupported)
                    return
                }
            case .awaitingSync:
                let isSync = result.map { PQresultStatus($0) == PGRES_PIPELINE_SYNC } ?? false
                if let result { PQclear(result) }
                guard isSync else {
                    close(.connection("lost track of the pipeline's results; the connection was closed"))
                    return
                }
                complete(operation)
            }
        }
    }

    /// Records one result of `operation`; returns an error when the connection cannot go on.
    private func absorb(_ result: OpaquePointer, into operation: PendingOperation, on handle: OpaquePointer) -> PostgresError? {
        let status = PQresultStatus(result)
        switch status {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            guard operation.error == nil else { return nil }
            do {
                let copied = try PostgresResult(copying: result, columns: operation.statement?.columns)
                if status == PGRES_TUPLES_OK, operation.statement?.columns == nil { operation.statement?.columns = copied.columns }
                operation.result = copied
            } catch {
                operation.error = error
            }
        case PGRES_PIPELINE_ABORTED:
            // Only this operation's own Parse shares its sync point, so that is what failed.
            if operation.error == nil {
                operation.error = operation.statement?.failure
                    ?? .query(sqlState: "25P02", message: "the statement was skipped after an earlier error", detail: nil, constraint: nil)
            }
        case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR, PGRES_BAD_RESPONSE:
            var error = PostgresError(failed: result, on: handle)
            switch error.sqlState {
            case "26000"?:
                // "prepared statement does not exist": its Parse, sent by an operation just
                // before, failed (report why), or a session deallocated it (prepare afresh).
                if let failure = operation.statement?.failure {
                    error = failure
                } else {
                    forget(operation.statement, sql: operation.sql)
                }
            case "0A000"?:
                // "cached plan must not change result type": a migration changed a table under
                // a prepared `SELECT *`. Prepare afresh next time instead of failing forever.
                forget(operation.statement, sql: operation.sql)
            default:
                break
            }
            if operation.error == nil { operation.error = error }
        default:
            // COPY needs protocol this client does not speak, and leaves the session in a state
            // it cannot leave cleanly.
            let error = PostgresError.connection("unsupported result status \(String(cString: PQresStatus(status)))")
            operation.error = error
            return error
        }
        return nil
    }

    private func forget(_ statement: PreparedStatement?, sql: String) {
        if let statement, statements[sql] === statement { statements[sql] = nil }
    }

    private func complete(_ operation: PendingOperation) {
        _ = pending.popFirst()
        hasAnswered = true
        operation.finishWithResults()
        if pending.isEmpty {
            while state == .ready, let next = deferred.first, enterMode(for: next) {
                _ = deferred.popFirst()
                send(next)
            }
            if pending.isEmpty { pool.connectionBusyChanged() }
        } else {
            headSince = loop.now
            armDeadline()
        }
        pool.operationCompleted(on: self)
    }

    /// Warnings and errors reported outside a statement (a backend being terminated) are worth
    /// an operator's attention; NOTICEs (`relation already exists, skipping`) are not.
    private func log(notice: OpaquePointer) {
        let severity = PostgresError.field(CLIBPQ_DIAG_SEVERITY, of: notice) ?? "NOTICE"
        let message = PostgresError.field(CLIBPQ_DIAG_MESSAGE_PRIMARY, of: notice) ?? ""
        let level: Logger.Level = ["WARNING", "ERROR", "FATAL", "PANIC"].contains(severity) ? .warning : .debug
        logger.log(level: level, "PostgreSQL \(severity): \(message)")
    }
}
