import CLibPQ

/// What a statement returned, copied out of libpq's `PGresult` so the `PGresult` can be freed
/// at once.
public struct PostgresResult: Sendable {
    public let columns: [String]
    public let rows: [PostgresRow]
    /// The count in the command tag (`PQcmdTuples`): rows inserted, updated, deleted, selected,
    /// fetched or copied; 0 for statements without one (DDL, SET, ...).
    public let affectedRows: Int

    /// Copies everything out of `result`; the caller still owns (and clears) it.
    init(copying result: OpaquePointer) {
        let columnCount = Int(PQnfields(result))
        let columns = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
        self.columns = columns
        rows = (0..<PQntuples(result)).map { row in
            let values = (0..<Int32(columnCount)).map { column -> String? in
                PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
            }
            return PostgresRow(columns: columns, values: values)
        }
        affectedRows = Int(String(cString: PQcmdTuples(result))) ?? 0
    }
}
