import AuthCrypto
import HTTPServer

/// bcrypt on its own bounded pool (one thread per core): the hashing never runs on an event
/// loop, and a flood of logins queues here, answered 503 once the queue is full.
struct PasswordHasher: Sendable {
    let pool: WorkerPool
    let cost: Int
    /// Verified against when the email is unknown, so both failures take the same time.
    private let dummyHash: String

    init(pool: WorkerPool, cost: Int) {
        self.pool = pool
        self.cost = cost
        dummyHash = BCrypt.hash(password: SecureRandom.bytes(count: 16), cost: cost)
    }

    func hash(_ password: String) throws -> String {
        let cost = self.cost
        return try pool.run { BCrypt.hash(password: Array(password.utf8), cost: cost) }
    }

    func verify(_ password: String, against hash: String?) throws -> Bool {
        let hash = hash ?? dummyHash
        let matches = try pool.run { BCrypt.verify(password: Array(password.utf8), hash: hash) }
        return matches && hash != dummyHash
    }

    /// True when `hash` was made at a lower cost than configured.
    func needsRehash(_ hash: String) -> Bool {
        (BCrypt.cost(of: hash) ?? 0) < cost
    }
}
