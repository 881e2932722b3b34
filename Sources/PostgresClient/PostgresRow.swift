import FoundationEssentials

/// One result row, its values kept in PostgreSQL's text format and decoded on access.
///
/// ```swift
/// let email = try row.string("email")
/// let name = try row.optionalString("name")
/// let id = try row.uuid(0)
/// ```
/// A missing column, a NULL where a value is required, or a value of another type throws
/// `PostgresError.decoding`; errors name the column, never its value.
public struct PostgresRow: Sendable {
    private let storage: ResultStorage
    private let row: Int

    init(storage: ResultStorage, row: Int) {
        self.storage = storage
        self.row = row
    }

    /// Shared by every row of a result.
    public var columns: [String] { storage.columns }

    public func isNull(_ column: PostgresColumn) throws(PostgresError) -> Bool {
        let index = try self.index(of: column)
        return storage.withValue(row: row, column: index) { $0 == nil }
    }

    public func decode<Value: PostgresDecodable>(
        _ column: PostgresColumn, as type: Value.Type = Value.self
    ) throws(PostgresError) -> Value {
        guard let value = try decodeIfPresent(column, as: type) else {
            throw .decoding("column \(column.label) is NULL")
        }
        return value
    }

    /// nil for SQL NULL.
    public func decodeIfPresent<Value: PostgresDecodable>(
        _ column: PostgresColumn, as type: Value.Type = Value.self
    ) throws(PostgresError) -> Value? {
        let index = try self.index(of: column)
        // nil: NULL; .some(nil): not a value of the type.
        let decoded: Value?? = storage.withValue(row: row, column: index) { bytes in
            bytes.map { Value(postgresBytes: $0) }
        }
        guard let decoded else { return nil }
        guard let value = decoded else {
            throw .decoding("column \(column.label) does not hold a \(Value.postgresTypeName)")
        }
        return value
    }

    private func index(of column: PostgresColumn) throws(PostgresError) -> Int {
        guard let index = column.index(in: storage.columns) else {
            throw .decoding("column \(column.label) is not in the result (columns: \(storage.columns.joined(separator: ", ")))")
        }
        return index
    }
}

// Named shorthands for the types the app reads most.
extension PostgresRow {
    public func string(_ column: PostgresColumn) throws(PostgresError) -> String { try decode(column) }
    public func optionalString(_ column: PostgresColumn) throws(PostgresError) -> String? { try decodeIfPresent(column) }
    public func int(_ column: PostgresColumn) throws(PostgresError) -> Int { try decode(column) }
    public func optionalInt(_ column: PostgresColumn) throws(PostgresError) -> Int? { try decodeIfPresent(column) }
    public func bool(_ column: PostgresColumn) throws(PostgresError) -> Bool { try decode(column) }
    public func optionalBool(_ column: PostgresColumn) throws(PostgresError) -> Bool? { try decodeIfPresent(column) }
    public func double(_ column: PostgresColumn) throws(PostgresError) -> Double { try decode(column) }
    public func optionalDouble(_ column: PostgresColumn) throws(PostgresError) -> Double? { try decodeIfPresent(column) }
    public func uuid(_ column: PostgresColumn) throws(PostgresError) -> UUID { try decode(column) }
    public func optionalUUID(_ column: PostgresColumn) throws(PostgresError) -> UUID? { try decodeIfPresent(column) }
    /// `timestamptz` (also `timestamp`, read as UTC, and `date`, as midnight UTC).
    public func date(_ column: PostgresColumn) throws(PostgresError) -> Date { try decode(column) }
    public func optionalDate(_ column: PostgresColumn) throws(PostgresError) -> Date? { try decodeIfPresent(column) }
    /// `bytea`.
    public func bytes(_ column: PostgresColumn) throws(PostgresError) -> [UInt8] { try decode(column) }
    public func optionalBytes(_ column: PostgresColumn) throws(PostgresError) -> [UInt8]? { try decodeIfPresent(column) }
}
