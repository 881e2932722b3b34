import AuthCrypto
import Reactor

/// bcrypt on its own bounded pool (one thread per core). A request waiting for a hash holds no
/// thread, and the pool's small queue bounds how many may wait: past it a login answers 503 at
/// once, so a login flood cannot slow `/me`, refresh or increment, which never queue here.
struct PasswordHasher: Sendable {
    let pool: BlockingPool
    let cost: Int
    /// Verified against when there is no hash to check (an unknown email, an account without a
    /// password, a password bcrypt would truncate), so every failure takes the same time.
    private let dummyHash: String

    init(pool: BlockingPool, cost: Int) {
        self.pool = pool
        self.cost = cost
        dummyHash = BCrypt.hash(password: SecureRandom.bytes(count: 16), cost: cost)
    }

    func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await pool.run { BCrypt.hash(password: Array(password.utf8), cost: cost) }
    }

    /// True when `password` matches `hash`; with no hash to check, false after a bcrypt of the
    /// same cost.
    func verify(_ password: String, against hash: String?) async throws -> Bool {
        let checked = PasswordPolicy.fitsBcrypt(password) ? hash : nil
        let target = checked ?? dummyHash
        let matches = try await pool.run { BCrypt.verify(password: Array(password.utf8), hash: target) }
        return matches && checked != nil
    }

    /// True when `hash` was made at a lower cost than configured.
    func needsRehash(_ hash: String) -> Bool {
        (BCrypt.cost(of: hash) ?? 0) < cost
    }
}
