/// A connection held for one `withSession` body: simple-protocol SQL, session settings, advisory
/// locks and transactions of its own. Valid only inside that body.
public final class PostgresSession: Sendable {
    private let held: HeldConnection
    private var pool: LoopPool { held.pool }
    private var lease: Lease { held.lease }
    private var progress: HoldProgress { held.progress }

    init(pool: LoopPool, lease: Lease, progress: HoldProgress) {
        held = HeldConnection(pool: pool, lease: lease, progress: progress)
    }

    /// One statement with `$1`, `$2`, ... parameters, prepared once per connection.
    @discardableResult
    public func query(_ sql: String, _ parameters: [PostgresValue] = []) async throws(PostgresError) -> PostgresResult {
        try await held.run(sql, parameters, protocol: .extended)
    }

    /// SQL without parameters through the simple protocol, which allows several statements in one
    /// string (migrations) and transaction control. Returns the last statement's result.
    @discardableResult
    public func execute(_ sql: String) async throws(PostgresError) -> PostgresResult {
        try await held.run(sql, [], protocol: .simple)
    }

    /// BEGIN, `body`, COMMIT on this session's connection; ROLLBACK and rethrow on any error.
    /// Transactions do not nest: calling this inside one throws (SQLSTATE 25001).
    @discardableResult
    public func transaction<T: Sendable>(
        isolation: PostgresIsolationLevel? = nil, _ body: (PostgresTransaction) async throws -> T
    ) async throws -> T {
        try await onLoop(pool.loop) { () async throws -> T in
            try await pool.transaction(on: lease, isolation: isolation, progress: progress, body)
        }
    }

    /// Sets this session's `statement_timeout` (0: none) and the client-side deadline that goes
    /// with it, for work that may outlast the usual bound (migrations, waiting for a lock).
    /// Both return to the configured values when the session ends.
    public func setStatementTimeout(_ seconds: Double) async throws(PostgresError) {
        try await onLoop(pool.loop) { () async throws(PostgresError) -> Void in
            progress.used = true
            try await pool.run("SELECT set_config('statement_timeout', $1, false)", [PostgresValue.text("\(Int((seconds * 1000).rounded()))")], protocol: .extended, on: lease)
            lease.connection.responseTimeout = PostgresConnectionSettings.responseTimeout(
                statementTimeout: seconds, margin: pool.responseTimeoutMargin
            )
        }
    }
}
