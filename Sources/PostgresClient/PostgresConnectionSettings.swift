import FoundationEssentials

/// What every connection this client opens is held to, whatever its URL says.
public struct PostgresConnectionSettings: Sendable {
    /// Bound on opening a connection: DNS aside, connecting, TLS and authentication together.
    public var connectTimeout: TimeInterval
    /// The server cancels any statement running longer (`statement_timeout`); 0 disables it.
    public var statementTimeout: TimeInterval
    /// Shown in `pg_stat_activity`, so operators can tell this service's sessions apart.
    public var applicationName: String
    /// How much longer than `statementTimeout` the client waits for an answer before it gives the
    /// connection up for dead (a silent network partition, a hung server): the connection is then
    /// closed and its operations fail with a connection error. No client deadline when
    /// `statementTimeout` is 0.
    public var responseTimeoutMargin: TimeInterval

    public init(
        connectTimeout: TimeInterval = 5, statementTimeout: TimeInterval = 5, applicationName: String = "authserver",
        responseTimeoutMargin: TimeInterval = 2
    ) {
        self.connectTimeout = connectTimeout
        self.statementTimeout = statementTimeout
        self.applicationName = applicationName
        self.responseTimeoutMargin = responseTimeoutMargin
    }

    /// The client deadline for a statement under `statementTimeout`, in nanoseconds; 0 for none.
    static func responseTimeout(statementTimeout: TimeInterval, margin: TimeInterval) -> UInt64 {
        statementTimeout > 0 ? nanoseconds(statementTimeout + max(0, margin)) : 0
    }
}

/// Seconds as monotonic-clock nanoseconds, saturating.
func nanoseconds(_ seconds: TimeInterval) -> UInt64 {
    guard seconds > 0 else { return 0 }
    let value = seconds * 1_000_000_000
    return value >= Double(UInt64.max / 2) ? UInt64.max / 2 : UInt64(value)
}
