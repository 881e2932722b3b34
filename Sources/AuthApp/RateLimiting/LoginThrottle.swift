/// Failed-login limits (API.md): per client IP (`LOGIN_MAX_FAILURES`) and per account from any IP
/// (`ACCOUNT_MAX_FAILURES`), each in `RATE_LIMIT_WINDOW`. Only failures count. While an IP is
/// over its limit every login from it is refused, a correct password included; a successful
/// login clears the account's count.
struct LoginThrottle: Sendable {
    let store: any RateLimitStore
    let window: Int
    let maxFailuresPerIP: Int
    let maxFailuresPerAccount: Int

    /// Throws `TOO_MANY_ATTEMPTS` when either limit is reached.
    func checkAllowed(ip: String, email: String) throws {
        for (key, limit) in [(ipKey(ip), maxFailuresPerIP), (accountKey(email), maxFailuresPerAccount)] {
            let current = try store.count(key)
            if current.count >= limit {
                throw AuthError.tooManyAttempts(retryAfter: current.secondsLeft)
            }
        }
    }

    func recordFailure(ip: String, email: String) throws {
        _ = try store.increment(ipKey(ip), window: window)
        _ = try store.increment(accountKey(email), window: window)
    }

    func recordSuccess(email: String) throws {
        try store.reset(accountKey(email))
    }

    private func ipKey(_ ip: String) -> String { "login-ip:\(ip)" }
    private func accountKey(_ email: String) -> String { "login-account:\(email)" }
}
