/// Names a result column: by name (`"email"`) or by zero-based position (`0`).
public protocol PostgresColumnKey {
    /// The column's position among the result's column names, nil when it has none.
    func columnIndex(in columns: [String]) -> Int?
    /// How decoding errors refer to the column.
    var columnLabel: String { get }
}

extension String: PostgresColumnKey {
    /// The first column of that name, as in SQL's own resolution of duplicate names in a row.
    public func columnIndex(in columns: [String]) -> Int? { columns.firstIndex(of: self) }
    public var columnLabel: String { "\"\(self)\"" }
}

extension Int: PostgresColumnKey {
    public func columnIndex(in columns: [String]) -> Int? { columns.indices.contains(self) ? self : nil }
    public var columnLabel: String { "#\(self)" }
}
