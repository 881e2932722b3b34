import Logging

/// What a transaction or session sent, for deciding whether its body may run again.
final class HoldProgress: @unchecked Sendable {
    // @unchecked Sendable: touched only on the holding pool's loop, by the holder's task.

    /// Something ran on the connection: it must be reset before others get it.
    var used = false
    /// Some statement may have changed data for good (see `RetrySafety`); a COMMIT counts.
    var mayHaveMadeLastingChange = false

    func note(_ sql: String, insideTransactionBlock: Bool) {
        used = true
        if !mayHaveMadeLastingChange && RetrySafety.mayMakeLastingChange(sql, insideTransactionBlock: insideTransactionBlock) {
            mayHaveMadeLastingChange = true
        }
    }
}

extension LoopPool {
    /// Holds a connection for `body` and gives it back afterwards, whatever happens. A connection
    /// failure on a connection that had been idle runs `body` once more on another when
    /// `mayRetry` agrees: then nothing lasting can have been sent.
    func withLease<T>(
        retrying mayRetry: (Lease, HoldProgress) -> Bool, _ body: (Lease, HoldProgress) async throws -> T
    ) async throws -> T {
        var attempt = 0
        while true {
            let lease = try await acquire()
            let progress = HoldProgress()
            do {
                let value = try await body(lease, progress)
                precondition(loop.isCurrent, "a held connection is released on its own loop")
                release(lease)
                return value
            } catch {
                precondition(loop.isCurrent, "a held connection is released on its own loop")
                release(lease)
                let isConnectionFailure = (error as? PostgresError)?.isConnectionFailure == true
                guard attempt == 0, isConnectionFailure, mayRetry(lease, progress) else { throw error }
                attempt += 1
                logger.warning("PostgreSQL connection lost before any change was sent; running the work again on a new connection")
                closeIdleConnections()
            }
        }
    }

    /// BEGIN, `body`, COMMIT on a held connection; ROLLBACK and rethrow on any error.
    func transaction<T>(
        on lease: Lease, isolation: PostgresIsolationLevel?, progress: HoldProgress, _ body: (PostgresTransaction) async throws -> T
    ) async throws -> T {
        let connection = lease.connection
        guard connection.state != .ready || !connection.isInTransactionBlock else {
            throw PostgresError.query(sqlState: "25001", message: "a transaction is already in progress on this connection", detail: nil, constraint: nil)
        }
        let begin = isolation.map { "BEGIN ISOLATION LEVEL \($0.rawValue)" } ?? "BEGIN"
        progress.used = true
        try await run(begin, [], protocol: .extended, on: lease)
        do {
            let value = try await body(PostgresTransaction(pool: self, lease: lease, progress: progress))
            precondition(loop.isCurrent, "a transaction ends on its connection's loop")
            // COMMIT of an aborted transaction "succeeds" as a ROLLBACK; a body that caught a
            // statement error and carried on must not be told its writes were kept.
            guard !connection.isTransactionAborted else {
                throw PostgresError.query(sqlState: "25P02", message: "the transaction was aborted by an earlier statement error", detail: nil, constraint: nil)
            }
            progress.mayHaveMadeLastingChange = true
            try await run("COMMIT", [], protocol: .extended, on: lease)
            return value
        } catch {
            precondition(loop.isCurrent, "a transaction ends on its connection's loop")
            // A failed COMMIT has already ended the transaction; ROLLBACK then would only warn.
            if connection.state == .ready && connection.holder == lease.holder && connection.isInTransactionBlock {
                do {
                    try await run("ROLLBACK", [], protocol: .extended, on: lease)
                } catch {
                    connection.close(.connection("ROLLBACK failed; the connection was closed"))
                }
            }
            throw error
        }
    }

    /// Makes a session's connection fit for others: rolled back, settings and locks reset, or closed.
    func restore(_ lease: Lease, used: Bool) async {
        let connection = lease.connection
        guard used, connection.state == .ready, connection.holder == lease.holder else { return }
        var sql = "CLOSE ALL; RESET SESSION AUTHORIZATION; RESET ALL; UNLISTEN *; SELECT pg_advisory_unlock_all(); DISCARD TEMP"
        if connection.isInTransactionBlock {
            logger.warning("PostgreSQL session ended inside a transaction; rolling it back")
            sql = "ROLLBACK; " + sql
        }
        do {
            try await run(sql, [], protocol: .simple, on: lease)
        } catch {
            connection.close(.connection("the session could not be reset; the connection was closed"))
        }
    }
}
