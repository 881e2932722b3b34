import Reactor

/// Every thread, pool and queue bound of the server, in one place. Requests themselves hold no
/// thread: each is a task on its connection's event loop, and waits for the database, bcrypt or
/// an outbound call by suspending.
struct ExecutionLimits {
    /// One event loop per core: they carry every connection, request and database query.
    let eventLoops = System.coreCount
    /// bcrypt is CPU-bound: one thread per core.
    let bcryptThreads = System.coreCount
    /// Hashes that may wait for a bcrypt thread before a login answers 503: about one per core,
    /// so a login flood queues at most a hash's time (~250 ms at cost 12) instead of growing.
    let bcryptQueue = System.coreCount
    /// bcrypt threads run below the event loops' priority: a login flood takes the cores the
    /// loops leave idle, never the loops' turn (health checks keep answering in milliseconds).
    let bcryptNiceness: Int32 = 10
    /// Concurrent SMTP deliveries per instance (each blocks a thread of the mail pool for up to
    /// `SMTP_TIMEOUT`): a message that hangs holds up one, never the rest.
    let mailThreads = 2
    /// Concurrent calls to OpenID providers (discovery, JWKS, token exchange), each bounded by
    /// `OIDC_TIMEOUT`, and how many may wait for one: a provider that hangs fills these, and
    /// past them sign-ins answer at once instead of queueing, while every other route goes on.
    let providerThreads = 4
    let providerQueue = 16
    /// How long a request waits for a database connection before answering 503.
    let databaseAcquireTimeout: Double = 5
    /// Server-side bound on every statement (`statement_timeout`).
    let databaseStatementTimeout: Double = 5
    let databaseConnectTimeout: Double = 5
}
