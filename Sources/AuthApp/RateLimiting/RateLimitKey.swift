import HTTPServer

/// The keys limits count under. A client is its IPv4 address or its IPv6 /64 (one subscriber
/// owns a whole /64); an account is its normalized email, which validation has already bounded
/// to 254 characters before any limiter sees it.
enum RateLimitKey {
    static func requests(from client: IPAddress) -> String {
        "requests:\(client.client)"
    }

    static func failedLogins(from client: IPAddress) -> String {
        "login-ip:\(client.client)"
    }

    static func failedLogins(forAccount email: String) -> String {
        "login-account:\(email)"
    }
}
