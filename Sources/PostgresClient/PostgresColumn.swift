/// Names a result column: by name (`"email"`) or by zero-based position (`0`).
///
/// A concrete type rather than a protocol the row's accessors are generic over: a generic
/// parameter on those public functions left every call from another module unspecialized,
/// and decoding a row then cost a run-time metadata look-up per column.
public struct PostgresColumn: Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    private enum Reference: Sendable {
        case name(String)
        case position(Int)
    }

    private let reference: Reference

    public init(_ name: String) {
        reference = .name(name)
    }

    public init(position: Int) {
        reference = .position(position)
    }

    public init(stringLiteral name: String) {
        self.init(name)
    }

    public init(integerLiteral position: Int) {
        self.init(position: position)
    }

    /// The column's position among the result's column names, nil when it has none. A name
    /// finds its first column, as SQL's own resolution of duplicate names in a row does.
    func index(in columns: [String]) -> Int? {
        switch reference {
        case .name(let name): columns.firstIndex(of: name)
        case .position(let position): columns.indices.contains(position) ? position : nil
        }
    }

    /// How decoding errors refer to the column.
    var label: String {
        switch reference {
        case .name(let name): "\"\(name)\""
        case .position(let position): "#\(position)"
        }
    }
}
