import HTTPServer

/// Limits on the requests that send mail (forgot-password, resend-verification, change-email):
/// per client IP and per address or account, in `RATE_LIMIT_WINDOW`. Both are counted for every
/// request, known address or not, so the limits tell nothing about which accounts exist, and
/// nobody can make the server mail one mailbox without end.
struct MailRequestLimiter: Sendable {
    let store: any RateLimitStore
    let window: Int
    let maxPerClient: Int
    let maxPerAddress: Int

    /// `target`: the normalized email asked about, or an account's id.
    func admit(client: IPAddress, target: String) async throws {
        let byClient = try await store.increment(RateLimitKey.mailRequests(from: client), window: window)
        let byTarget = try await store.increment(RateLimitKey.mailRequests(about: target), window: window)
        if byClient.count > maxPerClient {
            throw AuthFailure.tooManyAttempts(retryAfter: byClient.secondsLeft)
        }
        if byTarget.count > maxPerAddress {
            throw AuthFailure.tooManyAttempts(retryAfter: byTarget.secondsLeft)
        }
    }
}

extension RateLimitKey {
    static func mailRequests(from client: IPAddress) -> String {
        "mail-ip:\(client.client)"
    }

    static func mailRequests(about target: String) -> String {
        "mail-target:\(target)"
    }
}
