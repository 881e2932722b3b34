/// What a suspended task is told when its statement is answered.
struct OperationOutcome: Sendable {
    var result: Result<PostgresResult, PostgresError>
    /// A connection failure on work that cannot have changed anything: safe to run once more.
    var mayRetry = false
}

/// One statement on its way: waiting for a connection, then in a connection's FIFO until its
/// results (and, in pipeline mode, its sync point) arrive. Loop-confined, like its connection.
final class PendingOperation {
    enum QueryProtocol {
        /// Extended protocol: prepared (or, past the cache, unnamed) with parameters.
        case extended
        /// Simple protocol: several statements in one string, no parameters; outside pipeline mode.
        case simple
    }

    /// What the connection expects next for this operation.
    enum Phase {
        case awaitingPrepare, awaitingExecute, awaitingSync, awaitingSimple
    }

    let sql: String
    let parameters: [PostgresValue]
    let queryProtocol: QueryProtocol
    var phase = Phase.awaitingExecute
    /// The cached statement the operation runs, once sent.
    var statement: PreparedStatement?
    /// Whether this operation sent the statement's Parse (rather than reusing it).
    var preparedHere = false
    var result: PostgresResult?
    var error: PostgresError?
    /// While waiting for a connection: when to give up with `.poolTimeout`.
    var acquireDeadline: UInt64
    /// Caps a connection opened for this operation (a ping's own timeout).
    var connectDeadline: UInt64
    /// Client-side bound on the server's answer, from when this becomes its connection's head; 0: none.
    var responseTimeout: UInt64 = 0
    /// Sent on a connection that had been idle and had worked before, and a read outside any
    /// transaction: a connection failure may be retried (see `RetrySafety`).
    var retryable = false
    private var continuation: UnsafeContinuation<OperationOutcome, Never>?

    init(
        sql: String, parameters: [PostgresValue], protocol queryProtocol: QueryProtocol, acquireDeadline: UInt64, connectDeadline: UInt64,
        continuation: UnsafeContinuation<OperationOutcome, Never>
    ) {
        self.sql = sql
        self.parameters = parameters
        self.queryProtocol = queryProtocol
        self.acquireDeadline = acquireDeadline
        self.connectDeadline = connectDeadline
        self.continuation = continuation
    }

    /// Answered already (or abandoned by a caller that stopped waiting, as a ping past its timeout).
    var isFinished: Bool { continuation == nil }

    /// Resumes the waiting task, once; later calls do nothing.
    func finish(_ outcome: OperationOutcome) {
        guard let continuation else { return }
        self.continuation = nil
        continuation.resume(returning: outcome)
    }

    func finish(_ error: PostgresError, mayRetry: Bool = false) {
        finish(OperationOutcome(result: .failure(error), mayRetry: mayRetry))
    }

    /// Finishes with what the results said.
    func finishWithResults() {
        if let error {
            finish(error)
        } else {
            finish(OperationOutcome(result: .success(result ?? PostgresResult.empty)))
        }
    }
}

/// A statement prepared on one connection, by SQL text.
final class PreparedStatement {
    let name: String
    /// The result's column names, shared by every result of the statement.
    var columns: [String]?
    /// Why the Parse failed, reported to the operations that ran the statement without preparing it.
    var failure: PostgresError?
    /// A read by `RetrySafety`, judged once.
    let isRead: Bool

    init(name: String, sql: String) {
        self.name = name
        isRead = !RetrySafety.mayMakeLastingChange(sql, insideTransactionBlock: false)
    }
}
