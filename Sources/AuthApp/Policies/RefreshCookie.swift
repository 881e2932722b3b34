/// The `refreshToken` cookie (RFC 6265 §4.1): HttpOnly so scripts never see it, scoped to
/// `/api/auth`, SameSite and Secure as configured.
struct RefreshCookie: Sendable {
    static let name = "refreshToken"

    let secure: Bool
    let sameSite: AppConfiguration.SameSite
    let domain: String?
    let maxAge: Int

    func set(_ token: String) -> String {
        attributes("\(RefreshCookie.name)=\(token)", maxAge: maxAge)
    }

    /// Tells the browser to drop the cookie at once.
    var cleared: String {
        attributes("\(RefreshCookie.name)=", maxAge: 0)
    }

    private func attributes(_ pair: String, maxAge: Int) -> String {
        var cookie = "\(pair); Path=/api/auth; Max-Age=\(maxAge); HttpOnly; SameSite=\(sameSite.rawValue)"
        if let domain { cookie += "; Domain=\(domain)" }
        if secure { cookie += "; Secure" }
        return cookie
    }
}
