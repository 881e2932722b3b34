/// HS256 JSON Web Tokens (RFC 7519, compact JWS of RFC 7515) for access tokens.
///
/// ```swift
/// let jwt = HS256JWT(secret: Array(secret.utf8), leeway: 30)
/// let token = jwt.sign(claims)
/// let verified = try jwt.verify(token, now: Int(Date().timeIntervalSince1970))
/// ```
public struct HS256JWT: Sendable {
    /// Longer tokens are rejected before any parsing (API.md).
    public static let maximumTokenLength = 8192

    /// The only header we emit; tokens carrying exactly it skip header parsing.
    static let headerSegment = Array(Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8)).utf8)

    let mac: HMACSHA256
    /// When set, signed tokens carry it as `iss` and verified tokens must.
    public let issuer: String?
    /// When set, signed tokens carry it as `aud` and verified tokens' `aud` must contain it.
    public let audience: String?
    /// Seconds of clock skew tolerated on `exp` and `nbf`.
    public let leeway: Int

    public init(secret: [UInt8], issuer: String? = nil, audience: String? = nil, leeway: Int = 30) {
        precondition(leeway >= 0, "JWT leeway must not be negative")
        mac = HMACSHA256(key: secret)
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
        let payload = claims.encodedJSON()

        var token = Self.headerSegment
        token.reserveCapacity(token.count + Radix64.encodedCount(payload.count) + Radix64.encodedCount(HMACSHA256.size) + 2)
        token.append(UInt8(ascii: "."))
        payload.withUnsafeBytes { Radix64.base64URL.append(encoding: $0, to: &token) }
        let signature = mac.authenticate(token)
        token.append(UInt8(ascii: "."))
        signature.withUnsafeBytes { Radix64.base64URL.append(encoding: $0, to: &token) }
        return String(decoding: token, as: UTF8.self)
    }
}
