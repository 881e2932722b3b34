import HTTPServer

/// Every thread pool and queue bound of the server, in one place.
struct ExecutionLimits {
    /// Worker threads for routes that block on PostgreSQL: twice the connections, so a pool
    /// connection freed by one request is picked up at once by another waiting thread.
    let requestThreads: Int
    /// Requests waiting for a worker before the server answers 503.
    let requestQueue = 4096
    /// bcrypt is CPU-bound: one thread per core.
    let bcryptThreads = System.coreCount
    /// Hashes waiting for a core before logins answer 503: at cost 12 (~250 ms) about 30 s of work.
    let bcryptQueue = 128
    /// How long a request waits for a database connection before answering 503.
    let databaseAcquireTimeout: Double = 5

    init(databasePoolSize: Int) {
        requestThreads = max(8, databasePoolSize * 2)
    }
}
