import CLibPQ

/// What a statement returned, copied out of libpq's `PGresult` so the `PGresult` can be freed
/// at once.
///
/// The values of all rows live in one byte buffer with offsets (one allocation for the whole
/// result rather than one `String` per value) and are decoded only when read.
public struct PostgresResult: Sendable {
    public var columns: [String] { storage.columns }
    public let rows: [PostgresRow]
    /// The count in the command tag (`PQcmdTuples`): rows inserted, updated, deleted, selected,
    /// fetched or copied; 0 for statements without one (DDL, SET, ...).
    public let affectedRows: Int

    private let storage: ResultStorage

    /// Copies everything out of `result`; the caller still owns (and clears) it. `columns`, when
    /// given, are the names a prepared statement's earlier results had: the server refuses to run
    /// a prepared statement whose row description changed (SQLSTATE 0A000), so they still hold
    /// whenever the count matches, and the names need not be copied again.
    init(copying result: OpaquePointer, columns knownColumns: [String]? = nil) throws(PostgresError) {
        let columnCount = Int(PQnfields(result))
        let rowCount = Int(PQntuples(result))
        let columns: [String]
        if let knownColumns, knownColumns.count == columnCount {
            columns = knownColumns
        } else {
            columns = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
        }
        var bytes: [UInt8] = []
        var spans: [Int32] = []
        spans.reserveCapacity(rowCount * columnCount * 2)
        for row in 0..<Int32(rowCount) {
            for column in 0..<Int32(columnCount) {
                guard PQgetisnull(result, row, column) == 0 else {
                    spans.append(0)
                    spans.append(-1)
                    continue
                }
                let length = Int(PQgetlength(result, row, column))
                guard bytes.count + length <= Int(Int32.max) else {
                    throw .decoding("the result is larger than 2 GiB; select fewer rows at a time")
                }
                spans.append(Int32(bytes.count))
                spans.append(Int32(length))
                if let value = PQgetvalue(result, row, column), length > 0 {
                    value.withMemoryRebound(to: UInt8.self, capacity: length) { bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: length)) }
                }
            }
        }
        let storage = ResultStorage(columns: columns, bytes: bytes, spans: spans)
        self.storage = storage
        rows = (0..<rowCount).map { PostgresRow(storage: storage, row: $0) }
        affectedRows = Self.count(PQcmdTuples(result))
    }

    private init(storage: ResultStorage, rows: [PostgresRow], affectedRows: Int) {
        self.storage = storage
        self.rows = rows
        self.affectedRows = affectedRows
    }

    /// No columns, no rows: what an operation without a result (an empty query string) reports.
    static var empty: PostgresResult {
        PostgresResult(storage: ResultStorage(columns: [], bytes: [], spans: []), rows: [], affectedRows: 0)
    }

    private static func count(_ text: UnsafePointer<CChar>?) -> Int {
        guard var pointer = text else { return 0 }
        var value = 0
        while case let digit = UInt8(bitPattern: pointer.pointee), digit >= 0x30 && digit <= 0x39 {
            value = value &* 10 &+ Int(digit - 0x30)
            pointer += 1
        }
        return value
    }
}

/// The immutable bytes of one result, shared by its rows.
final class ResultStorage: Sendable {
    let columns: [String]
    private let bytes: [UInt8]
    /// Two entries per value, row-major: its offset in `bytes` and its length, -1 for NULL.
    private let spans: [Int32]

    init(columns: [String], bytes: [UInt8], spans: [Int32]) {
        self.columns = columns
        self.bytes = bytes
        self.spans = spans
    }

    /// Calls `body` with the bytes of one value, nil for NULL; the buffer is valid only during the call.
    func withValue<Result>(row: Int, column: Int, _ body: (UnsafeRawBufferPointer?) -> Result) -> Result {
        let index = (row * columns.count + column) * 2
        let length = Int(spans[index + 1])
        guard length >= 0 else { return body(nil) }
        let start = Int(spans[index])
        return bytes.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start..<start + length])) }
    }
}
