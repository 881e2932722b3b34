/// Access tokens as JSON Web Tokens (RFC 7519, compact JWS of RFC 7515) under one configured
/// algorithm (API.md, Tokens): HS256 with the shared secret, or EdDSA, ES256 or RS256 with a
/// private key, whose `kid` each token's header carries. Verification accepts that algorithm
/// only, and under a private key also tokens of older public keys kept during a rotation.
///
/// ```swift
/// let jwt = AccessTokenJWT(secret: Array(secret.utf8), leeway: 30)
/// let rotated = try AccessTokenJWT(signingKey: key, verificationKeys: [previousKey])
/// let token = rotated.sign(claims)
/// let verified = try rotated.verify(token, now: Int(Date().timeIntervalSince1970))
/// let jwks = rotated.publicKeys.encodedJSON()      // GET /.well-known/jwks.json
/// ```
public struct AccessTokenJWT: Sendable {
    /// Longer tokens are rejected before any parsing (API.md).
    public static let maximumTokenLength = JWSVerifier.maximumTokenLength

    /// The `alg` of every token signed and the only one verified: "HS256", "EdDSA", "ES256" or "RS256".
    public let algorithm: String
    /// The keys that verify our tokens, the signing key's first, for `/.well-known/jwks.json`
    /// and `jwt-info`'s `keyIDs`; empty under HS256, whose secret is never published.
    public let publicKeys: JWKSet
    /// When set, signed tokens carry it as `iss` and verified tokens must.
    public let issuer: String?
    /// When set, signed tokens carry it as `aud` and verified tokens' `aud` must contain it.
    public let audience: String?
    /// Seconds of clock skew tolerated on `exp` and `nbf`.
    public let leeway: Int

    private let signer: JWSSigner
    let verifier: JWSVerifier

    /// HS256 under a shared secret (API.md asks for at least 32 bytes; the caller enforces it).
    public init(secret: [UInt8], issuer: String? = nil, audience: String? = nil, leeway: Int = 30) {
        let mac = HMACSHA256(key: secret)
        self.init(algorithm: "HS256", publicKeys: JWKSet([]), signer: JWSSigner(hmac: mac), verifier: JWSVerifier(hmac: mac),
                  issuer: issuer, audience: audience, leeway: leeway)
    }

    /// Signs with `signingKey` under its algorithm; tokens of `verificationKeys` (older keys
    /// during a rotation) verify as well. Every verification key must be of the signing key's
    /// algorithm, or no token of it could ever verify.
    public init(
        signingKey: PrivateSigningKey, verificationKeys: [PublicSigningKey] = [],
        issuer: String? = nil, audience: String? = nil, leeway: Int = 30
    ) throws(SigningKeyError) {
        if let other = verificationKeys.first(where: { $0.algorithm != signingKey.algorithm }) {
            throw .algorithmMismatch(expected: signingKey.algorithm, found: other.algorithm)
        }
        let publicKeys = JWKSet([signingKey.publicKey] + verificationKeys)
        self.init(algorithm: signingKey.algorithm.rawValue, publicKeys: publicKeys, signer: JWSSigner(privateKey: signingKey),
                  verifier: JWSVerifier(keys: publicKeys, algorithms: [signingKey.algorithm]),
                  issuer: issuer, audience: audience, leeway: leeway)
    }

    private init(
        algorithm: String, publicKeys: JWKSet, signer: JWSSigner, verifier: JWSVerifier,
        issuer: String?, audience: String?, leeway: Int
    ) {
        precondition(leeway >= 0, "JWT leeway must not be negative")
        self.algorithm = algorithm
        self.publicKeys = publicKeys
        self.signer = signer
        self.verifier = verifier
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
    }

    /// Signs `claims`, filling `iss` and `aud` from this instance's configuration when the claims
    /// leave them unset.
    public func sign(_ claims: AccessTokenClaims) -> String {
        var claims = claims
        if claims.issuer == nil { claims.issuer = issuer }
        if claims.audience.isEmpty, let audience { claims.audience = [audience] }
        return signer.sign(payload: claims.encodedJSON())
    }
}
