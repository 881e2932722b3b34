import AuthCrypto
import JSON

/// The access-token verifier (`AccessTokenJWT.verify`, over `JWSVerifier`) on arbitrary bytes,
/// twice: as a token as received, and as a payload signed with the test secret, so that the
/// claims layer behind the signature check is reached too. The same token also goes through a
/// public-key verifier (ES256, RS256 and EdDSA keys), which exercises header parsing and `kid`
/// selection.
///
/// Invariants: no crash; a token that verifies carries a valid signature (the raw input
/// verifies only when it was signed with the test secret), is unexpired at `now` within the
/// leeway, and has the configured issuer and audience; verification is deterministic.
public enum JWTVerifierTarget: FuzzTarget {
    public static let name = "JWTVerifier"

    /// The corpus tokens are signed with this secret (README.md, Fuzzing and sanitizers).
    static let secret = Array("fuzz-secret-0123456789abcdef0123456789".utf8)
    static let issuer = "https://issuer.example"
    static let audience = "authserver"
    /// A fixed clock: the corpus's tokens stay valid against it.
    static let now = 1_800_000_000
    static let jwt = AccessTokenJWT(secret: secret, issuer: issuer, audience: audience, leeway: 30)
    static let publicKeyVerifier = JWSVerifier(
        keys: JWKSet([SignatureAlgorithm.es256, .rs256, .edDSA].map { PrivateSigningKey.generate($0).publicKey }),
        algorithms: [.es256, .rs256, .edDSA]
    )

    public static func check(_ input: [UInt8]) throws(InvariantViolation) {
        let token = String(decoding: input, as: UTF8.self)
        try verify(token)
        if let payload = try? publicKeyVerifier.verifiedPayload(token) {
            throw InvariantViolation("a random public key verified a token with payload \(payload)")
        }
        // The input as the payload of a correctly signed token.
        let signingInput = Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8)) + "." + Base64URL.encode(input)
        let signature = HMACSHA256(key: secret).authenticate(Array(signingInput.utf8))
        try verify(signingInput + "." + Base64URL.encode(signature))
    }

    static func verify(_ token: String) throws(InvariantViolation) {
        let first = Result { () throws(JWTError) in try jwt.verify(token, now: now) }
        let again = Result { () throws(JWTError) in try jwt.verify(token, now: now) }
        try require(first == again, "verification is not deterministic: \(first) then \(again)")
        guard case .success(let claims) = first else { return }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        try require(parts.count == 3, "verified a token of \(parts.count) segments")
        let expected = HMACSHA256(key: secret).authenticate(Array((parts[0] + "." + parts[1]).utf8))
        try require(Base64URL.decode(parts[2]) == expected, "verified a token whose signature is not the HMAC")
        try require(now - claims.expiresAt <= jwt.leeway, "verified an expired token")
        try require(claims.notBefore.map { $0 - now <= jwt.leeway } ?? true, "verified a token before its nbf")
        try require(claims.issuer == issuer && claims.audience.contains(audience), "verified a token of another issuer or audience")
    }
}
