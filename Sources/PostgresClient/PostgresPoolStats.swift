/// A snapshot of a pool's use, for metrics.
public struct PostgresPoolStats: Sendable, Equatable {
    /// The most connections the pool opens.
    public let size: Int
    /// Connections open or being opened: idle plus in use.
    public let open: Int
    /// Connections lent to callers.
    public let inUse: Int
    /// Callers waiting for a connection.
    public let waiting: Int
}
