/// Everything that can go wrong talking to PostgreSQL.
///
/// Descriptions never carry parameter values or the server's `detail` text (for a unique
/// violation it reads `Key (email)=(ada@example.com) already exists`), because either may hold
/// personal data or secrets and descriptions end up in logs.
public enum PostgresError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The connection could not be opened or broke; the pool replaces such a connection.
    case connection(String)
    /// The server rejected a statement; the connection stays usable.
    /// `detail` may quote row values: read it deliberately, never log it wholesale.
    case query(sqlState: String, message: String, detail: String?, constraint: String?)
    /// No pooled connection became free within the pool's acquire timeout.
    case poolTimeout
    /// A column is missing, NULL where a value was required, or not of the requested type.
    case decoding(String)
    /// The connection or the pool was closed.
    case closed

    /// The SQLSTATE code (`23505`, `40001`, ...) of a server-reported error.
    public var sqlState: String? {
        if case .query(let sqlState, _, _, _) = self { return sqlState }
        return nil
    }

    /// The constraint a statement violated, when the server named one.
    public var constraint: String? {
        if case .query(_, _, _, let constraint) = self { return constraint }
        return nil
    }

    /// `unique_violation`: `constraint` names the unique index or constraint involved.
    public var isUniqueViolation: Bool { sqlState == "23505" }

    /// `serialization_failure`: the transaction may succeed when run again from the start.
    public var isSerializationFailure: Bool { sqlState == "40001" }

    /// `query_canceled`, which is also what an expired `statement_timeout` reports.
    public var isQueryCanceled: Bool { sqlState == "57014" }

    /// The connection is gone (client-side failure, class 08, or the server shutting the backend
    /// down: 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now).
    public var isConnectionFailure: Bool {
        switch self {
        case .connection:
            return true
        case .query(let sqlState, _, _, _):
            return sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(sqlState)
        case .poolTimeout, .decoding, .closed:
            return false
        }
    }

    public var description: String {
        switch self {
        case .connection(let message):
            return "PostgreSQL connection failure: \(message)"
        case .query(let sqlState, let message, _, let constraint):
            let onConstraint = constraint.map { " on constraint \($0)" } ?? ""
            return "PostgreSQL error \(sqlState)\(onConstraint): \(Self.withoutQuotedInput(message, sqlState: sqlState))"
        case .poolTimeout:
            return "PostgreSQL pool: no connection became free in time"
        case .decoding(let message):
            return "PostgreSQL decoding: \(message)"
        case .closed:
            return "PostgreSQL connection closed"
        }
    }

    /// Data exceptions (class 22) quote the offending input after a colon, as in
    /// `invalid input syntax for type uuid: "..."`; that input is a parameter value.
    private static func withoutQuotedInput(_ message: String, sqlState: String) -> String {
        guard sqlState.hasPrefix("22"), let colon = message.firstIndex(of: ":") else { return message }
        return String(message[..<colon])
    }
}
