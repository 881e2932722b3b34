/// The `oauthState` cookie: a random value whose hash each pending authorization request
/// stores, so that only the browser that began a sign-in can finish it (RFC 9700 §4.7.1, CSRF
/// against the redirect URI). HttpOnly; `SameSite=Lax` because the provider's redirect back to
/// us is a cross-site top-level navigation, which Lax still sends the cookie with; the path
/// keeps it to the sign-in routes.
struct OAuthStateCookie: Sendable {
    static let name = "oauthState"
    private static let valueLength = 43

    let secure: Bool

    /// The browser's binding: the one it already holds (so sign-ins begun in two tabs both
    /// work), else a new one.
    func binding(from cookies: Cookies) -> String {
        if let value = cookies[Self.name], Self.isWellFormed(value) { return value }
        return AuthorizationSecrets.newRandom()
    }

    func set(_ value: String) -> String {
        attributes("\(Self.name)=\(value)", maxAge: OAuthStateRepository.lifetime)
    }

    var cleared: String {
        attributes("\(Self.name)=", maxAge: 0)
    }

    private static func isWellFormed(_ value: String) -> Bool {
        value.utf8.count == valueLength && value.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x2D || byte == 0x5F
        }
    }

    private func attributes(_ pair: String, maxAge: Int) -> String {
        "\(pair); Path=/api/auth/oauth; Max-Age=\(maxAge); HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "")
    }
}
