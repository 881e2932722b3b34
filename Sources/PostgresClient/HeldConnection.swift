/// A connection held by one transaction or session body, and how statements run on it: on the
/// pool's loop, noting for the retry rule whether anything lasting may have been sent.
struct HeldConnection: Sendable {
    let pool: LoopPool
    let lease: Lease
    let progress: HoldProgress

    /// `insideTransactionBlock` nil: ask the connection (a session may open its own).
    func run(_ sql: String, _ parameters: [PostgresValue], protocol: PendingOperation.QueryProtocol,
             insideTransactionBlock: Bool? = nil) async throws(PostgresError) -> PostgresResult {
        try await onLoop(pool.loop) { () async throws(PostgresError) -> PostgresResult in
            progress.note(sql, insideTransactionBlock: insideTransactionBlock ?? lease.connection.isInTransactionBlock)
            return try await pool.run(sql, parameters, protocol: `protocol`, on: lease)
        }
    }
}
