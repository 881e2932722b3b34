import Foundation

/// What every connection this client opens is held to, whatever its URL says.
public struct PostgresConnectionSettings: Sendable {
    /// Bound on opening a connection: DNS aside, connecting, TLS and authentication together.
    public var connectTimeout: TimeInterval
    /// The server cancels any statement running longer (`statement_timeout`); 0 disables it.
    public var statementTimeout: TimeInterval
    /// Shown in `pg_stat_activity`, so operators can tell this service's sessions apart.
    public var applicationName: String

    public init(connectTimeout: TimeInterval = 5, statementTimeout: TimeInterval = 5, applicationName: String = "authserver") {
        self.connectTimeout = connectTimeout
        self.statementTimeout = statementTimeout
        self.applicationName = applicationName
    }
}
