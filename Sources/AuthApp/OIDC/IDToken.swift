import AuthCrypto
import JSON

/// An OpenID Connect ID token that passed the checks of OpenID Connect Core 1.0 §3.1.3.7:
/// what sign-in needs from it.
struct IDToken: Sendable {
    /// `sub`: the user at this provider, for ever; the email can change.
    let subject: String
    let email: String?
    /// Only a JSON `true` counts (a missing claim or "true" as a string does not).
    let emailVerified: Bool
    let name: String?
    let givenName: String?
    let familyName: String?

    /// Longest `sub` OpenID Connect Core §2 allows.
    static let maximumSubjectLength = 255

    /// Verifies `token`: its signature by one of `keys` under RS256 or ES256 (never `none`, never
    /// HS256 whatever its secret), `iss` equal to `issuer`, `aud` holding `clientID` and, with
    /// several audiences, `azp` equal to it, `exp` not passed and `iat` not ahead (both give
    /// `leeway` seconds for clock skew), and `nonce` equal to the one sent in the authorization
    /// request (compared in constant time).
    init(verifying token: String, keys: JWKSet, issuer: String, clientID: String, nonce: String, now: Int, leeway: Int)
        throws(JWTError)
    {
        let claims = JWTClaimReader(json: try JWSVerifier(keys: keys, algorithms: [.rs256, .es256]).verifiedPayload(token))
        guard try claims.requiredString("iss") == issuer else { throw .issuerMismatch }
        let audience = try claims.audience()
        guard audience.contains(clientID) else { throw .audienceMismatch }
        let authorizedParty = try claims.optionalString("azp")
        if let authorizedParty, authorizedParty != clientID { throw .invalidClaim("azp") }
        if audience.count > 1 && authorizedParty == nil { throw .invalidClaim("azp") }
        try JWTValidity.check(expiresAt: try claims.requiredNumericDate("exp"), notBefore: try claims.optionalNumericDate("nbf"),
                              now: now, leeway: leeway)
        guard try claims.requiredNumericDate("iat") - now <= leeway else { throw .invalidClaim("iat") }
        guard constantTimeEquals(Array(try claims.requiredString("nonce").utf8), Array(nonce.utf8)) else { throw .invalidClaim("nonce") }
        let subject = try claims.requiredString("sub")
        guard !subject.isEmpty, subject.utf8.count <= Self.maximumSubjectLength else { throw .invalidClaim("sub") }
        self.subject = subject
        email = try claims.optionalString("email")
        emailVerified = (try? claims.optionalBool("email_verified")) == true
        name = try? claims.optionalString("name")
        givenName = try? claims.optionalString("given_name")
        familyName = try? claims.optionalString("family_name")
    }
}
