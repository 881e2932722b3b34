/// The time rules of RFC 7519 §4.1.4 (`exp`) and §4.1.5 (`nbf`), with a tolerance for clock
/// skew, shared by every kind of token we verify.
public enum JWTValidity {
    /// Throws `.expired` once `now` is more than `leeway` seconds past `expiresAt`, and
    /// `.notYetValid` while `now` is more than `leeway` seconds before `notBefore`. Times are
    /// Unix seconds; written as differences so that no leeway can overflow (claims stay below 2^53).
    public static func check(expiresAt: Int, notBefore: Int?, now: Int, leeway: Int) throws(JWTError) {
        if now - expiresAt > leeway { throw .expired }
        if let notBefore, notBefore - now > leeway { throw .notYetValid }
    }
}
