/// The SQL isolation levels PostgreSQL implements (READ UNCOMMITTED behaves as READ COMMITTED).
public enum PostgresIsolationLevel: String, Sendable {
    case readCommitted = "READ COMMITTED"
    case repeatableRead = "REPEATABLE READ"
    /// Conflicting transactions fail with `isSerializationFailure`; run them again.
    case serializable = "SERIALIZABLE"
}
