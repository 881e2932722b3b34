import AuthCrypto
import FoundationEssentials

/// OWASP's device cookie: a browser that signed in to an account carries `deviceToken`, a random
/// id and a MAC under a `SERVER_SECRET` key of that id and the user id. A login presenting a
/// valid one for the account it targets is exempt from the per-account lockout, so an attacker
/// failing logins against someone's email cannot lock its owner out (the per-client limit still
/// applies to everyone).
struct DeviceCookie: Sendable {
    static let name = "deviceToken"
    /// Browsers keep cookies 400 days at most (RFC 6265bis); half a year is plenty for "this
    /// browser signed in before".
    static let maxAge = 180 * 86400

    private let key: HMACSHA256
    let secure: Bool

    init(serverSecret: [UInt8], secure: Bool) {
        key = HMACSHA256(key: ServerKeys.derive("device cookie v1", from: serverSecret))
        self.secure = secure
    }

    /// A new `Set-Cookie` value for a browser that just signed in to `userID`.
    func issue(for userID: UUID) -> String {
        let nonce = Base64URL.encode(SecureRandom.bytes(count: 16))
        let value = "\(nonce).\(mac(nonce: nonce, userID: userID))"
        var cookie = "\(Self.name)=\(value); Path=/api/auth/login; Max-Age=\(Self.maxAge); HttpOnly; SameSite=Strict"
        if secure { cookie += "; Secure" }
        return cookie
    }

    /// Whether `value` is a device cookie this server issued for `userID`.
    func isValid(_ value: String?, for userID: UUID) -> Bool {
        guard let value, value.utf8.count <= 128 else { return false }
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        let expected = mac(nonce: String(parts[0]), userID: userID)
        return constantTimeEquals(Array(expected.utf8), Array(parts[1].utf8))
    }

    private func mac(nonce: String, userID: UUID) -> String {
        Base64URL.encode(key.authenticate(Array("\(userID.lowercasedText).\(nonce)".utf8)))
    }
}
