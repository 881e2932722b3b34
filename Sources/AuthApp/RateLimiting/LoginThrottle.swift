import HTTPServer

/// Failed-login limits (API.md): per client (`LOGIN_MAX_FAILURES`) and per account from any
/// client (`ACCOUNT_MAX_FAILURES`), each in `RATE_LIMIT_WINDOW`.
///
/// Every attempt is counted as a failure before its password is checked, and the decision is
/// taken on that count (increment, then compare): however many wrong passwords arrive at once,
/// no more than the limit get a bcrypt check. A success takes its count back from the client
/// and clears the account's. While a client is over its limit every login from it is refused,
/// a correct password included.
struct LoginThrottle: Sendable {
    let store: any RateLimitStore
    let window: Int
    let maxFailuresPerClient: Int
    let maxFailuresPerAccount: Int

    /// Counts the attempt and throws `TOO_MANY_ATTEMPTS` when either limit is passed.
    /// `exemptFromAccountLimit`: the browser proved with a device cookie that it signed in to
    /// this account before, so someone failing logins against the account cannot lock it out.
    func admit(client: IPAddress, email: String, exemptFromAccountLimit: Bool) async throws {
        let byClient = try await store.increment(RateLimitKey.failedLogins(from: client), window: window)
        let byAccount = try await store.increment(RateLimitKey.failedLogins(forAccount: email), window: window)
        if byClient.count > maxFailuresPerClient {
            throw AuthFailure.tooManyAttempts(retryAfter: byClient.secondsLeft)
        }
        if byAccount.count > maxFailuresPerAccount && !exemptFromAccountLimit {
            throw AuthFailure.tooManyAttempts(retryAfter: byAccount.secondsLeft)
        }
    }

    /// The attempt admitted last was right: it was no failure.
    func succeeded(client: IPAddress, email: String) async throws {
        try await store.decrement(RateLimitKey.failedLogins(from: client))
        try await store.reset(RateLimitKey.failedLogins(forAccount: email))
    }

    /// Counts a wrong current password (change-password) against the account alone; throws
    /// `TOO_MANY_ATTEMPTS` once past its limit.
    func admitPasswordCheck(email: String) async throws {
        let byAccount = try await store.increment(RateLimitKey.failedLogins(forAccount: email), window: window)
        if byAccount.count > maxFailuresPerAccount {
            throw AuthFailure.tooManyAttempts(retryAfter: byAccount.secondsLeft)
        }
    }

    func passwordCheckSucceeded(email: String) async throws {
        try await store.reset(RateLimitKey.failedLogins(forAccount: email))
    }
}
