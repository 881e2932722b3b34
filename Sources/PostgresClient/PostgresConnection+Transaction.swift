extension PostgresConnection {
    /// Runs `body` between BEGIN and COMMIT. Any error thrown by `body` or by COMMIT rolls the
    /// transaction back and is rethrown, so no half-written change is ever kept.
    ///
    /// Transactions do not nest: calling this inside one throws (SQLSTATE 25001).
    @discardableResult
    public func transaction<Value>(
        isolation: PostgresIsolationLevel? = nil, _ body: (PostgresConnection) throws -> Value
    ) throws -> Value {
        guard !isInsideTransactionBlock else {
            throw PostgresError.query(sqlState: "25001", message: "a transaction is already in progress on this connection", detail: nil, constraint: nil)
        }
        try execute(isolation.map { "BEGIN ISOLATION LEVEL \($0.rawValue)" } ?? "BEGIN")
        do {
            let value = try body(self)
            // COMMIT of an aborted transaction "succeeds" as a ROLLBACK; a body that caught a
            // statement error and carried on must not be told its writes were kept.
            guard !isTransactionAborted else {
                throw PostgresError.query(sqlState: "25P02", message: "the transaction was aborted by an earlier statement error", detail: nil, constraint: nil)
            }
            try execute("COMMIT")
            return value
        } catch {
            // A failed COMMIT has already ended the transaction; ROLLBACK then would only warn.
            if isInsideTransactionBlock { _ = try? execute("ROLLBACK") }
            throw error
        }
    }
}
