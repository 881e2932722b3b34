import HTTPServer

/// Every thread pool and queue bound of the server, in one place.
struct ExecutionLimits {
    /// Worker threads for routes that block on PostgreSQL: one per connection, plus one per core
    /// for requests parked on the bcrypt pool. More threads only wait on the pool, and on two
    /// cores their context switches cost more than they gain (`make bench`: /me went from 6.5k
    /// to 9.2k requests/s going from 32 threads to 16 on a pool of 16).
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
        requestThreads = databasePoolSize + System.coreCount
    }
}
