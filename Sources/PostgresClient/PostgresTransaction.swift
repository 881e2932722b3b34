/// The statements of one transaction, on the connection it holds. Valid only inside the
/// `transaction` body it was given to.
public final class PostgresTransaction: Sendable {
    private let held: HeldConnection

    init(pool: LoopPool, lease: Lease, progress: HoldProgress) {
        held = HeldConnection(pool: pool, lease: lease, progress: progress)
    }

    /// One statement with `$1`, `$2`, ... parameters, prepared once per connection. A failed
    /// statement aborts the transaction: later statements fail and COMMIT is refused.
    @discardableResult
    public func query(_ sql: String, _ parameters: [PostgresValue] = []) async throws(PostgresError) -> PostgresResult {
        try await held.run(sql, parameters, protocol: .extended, insideTransactionBlock: true)
    }

    /// SQL without parameters through the simple protocol, which allows several statements in one
    /// string (a migration file). Returns the last statement's result.
    @discardableResult
    public func execute(_ sql: String) async throws(PostgresError) -> PostgresResult {
        try await held.run(sql, [], protocol: .simple, insideTransactionBlock: true)
    }
}
