import JSON

/// Verifies compact JWS tokens (RFC 7515 §7.1) and hands back their payload as a JSON object:
/// the JWS layer under every claims layer, access tokens here and OpenID Connect ID tokens
/// checked against a provider's JWKS.
///
/// ```swift
/// let jws = JWSVerifier(keys: providerKeys, algorithms: [.rs256, .es256])
/// let payload = try jws.verifiedPayload(idToken)     // signature checked; claims are yours
/// let claims = JWTClaimReader(json: payload)
/// let issuer = try claims.requiredString("iss")
/// ```
///
/// In order: the size limit, three strict base64url segments, the header (`alg` among the
/// allowed algorithms, RFC 8725 §3.1; see `JWSHeader` for what else is refused), the key by
/// `kid`, the signature over header and payload exactly as received, and only then the payload
/// as strict JSON. A token whose `kid` names no key throws `.unknownKeyID`, so a caller holding
/// a provider's cached keys knows to fetch them again.
public struct JWSVerifier: Sendable {
    /// Longer tokens are rejected before any parsing (API.md).
    public static let maximumTokenLength = 8192

    private enum Keys: Sendable {
        case hmacSHA256(HMACSHA256)
        /// `knownHeaders`: for each usable key, the exact header our signer writes for it
        /// (JWSSigner); a token carrying one of these bytes for bytes needs no header parsing.
        case asymmetric(JWKSet, algorithms: Set<SignatureAlgorithm>, knownHeaders: [[UInt8]: PublicSigningKey])
    }

    private let keys: Keys

    /// Accepts tokens signed under one of `algorithms` by the key their `kid` names in `keys`;
    /// a token without `kid` is refused.
    public init(keys: JWKSet, algorithms: Set<SignatureAlgorithm>) {
        let usable = keys.keys.filter { algorithms.contains($0.algorithm) }
        let knownHeaders = Dictionary(usable.map { (JWSSigner.headerSegment(for: $0), $0) }, uniquingKeysWith: { first, _ in first })
        self.keys = .asymmetric(keys, algorithms: algorithms, knownHeaders: knownHeaders)
    }

    /// Accepts only HS256 tokens under this key; `kid` is not consulted.
    init(hmac: HMACSHA256) {
        keys = .hmacSHA256(hmac)
    }

    /// The payload of `token` once its signature verified; its claims are not yet checked.
    public func verifiedPayload(_ token: String) throws(JWTError) -> [String: JSONValue] {
        guard token.utf8.count <= Self.maximumTokenLength else { throw .tooLong }
        var token = token
        return try token.withUTF8 { bytes in Result { () throws(JWTError) in try verifiedPayload(bytes) } }.get()
    }

    private func verifiedPayload(_ token: UnsafeBufferPointer<UInt8>) throws(JWTError) -> [String: JSONValue] {
        let jws = try JWSCompactSerialization(token)
        switch keys {
        case .hmacSHA256(let mac):
            if !jws.header.elementsEqual(JWSSigner.hs256HeaderSegment) {
                guard try JWSHeader(jws.header).algorithm == "HS256" else { throw .unsupportedHeader("alg") }
            }
            guard constantTimeEquals(mac.authenticate(jws.signingInput), try jws.decodedSignature()) else {
                throw .badSignature
            }
        case .asymmetric(let keySet, let algorithms, let knownHeaders):
            let key: PublicSigningKey
            if let known = knownHeaders[Array(jws.header)] {
                key = known
            } else {
                key = try Self.selectKey(for: JWSHeader(jws.header), in: keySet, algorithms: algorithms)
            }
            let signature = try jws.decodedSignature()
            guard signature.count == key.signatureLength else {
                throw .malformed("\(key.algorithm.rawValue) signature is \(signature.count) bytes, not \(key.signatureLength)")
            }
            guard key.isValidSignature(signature, for: jws.signingInput) else { throw .badSignature }
        }
        return try JWSCompactSerialization.jsonObject(jws.payload, named: "payload")
    }

    /// The key named by `kid`, provided the header's `alg` is allowed and is that key's own: an
    /// HS256 token (whatever its secret, a public key's PEM included) never reaches a public key.
    private static func selectKey(
        for header: JWSHeader, in keys: JWKSet, algorithms: Set<SignatureAlgorithm>
    ) throws(JWTError) -> PublicSigningKey {
        guard let algorithm = SignatureAlgorithm(rawValue: header.algorithm), algorithms.contains(algorithm) else {
            throw .unsupportedHeader("alg")
        }
        guard let keyID = header.keyID else { throw .unsupportedHeader("kid") }
        guard let key = keys.key(withID: keyID) else { throw .unknownKeyID }
        guard key.algorithm == algorithm else { throw .unsupportedHeader("alg") }
        return key
    }
}
