@testable import AuthCrypto
import JSON
import Testing

/// AccessTokenJWT under EdDSA, ES256 and RS256: signing with the current private key, verifying
/// with it and with older public keys during a rotation, and each refusal of API.md's
/// *Signing keys and JWKS*, every forged token otherwise valid so that only the rule at stake fails.
struct AccessTokenJWTAsymmetricTests {
    private static func jwt(_ algorithm: SignatureAlgorithm, verificationKeys: [PublicSigningKey] = []) -> AccessTokenJWT {
        try! AccessTokenJWT(signingKey: SigningKeyTestSupport.key(algorithm), verificationKeys: verificationKeys)
    }

    private static let es256 = jwt(.es256)
    private static let edDSA = jwt(.edDSA)
    private static let now = JWTTestSupport.now

    private static func segments(_ token: String) -> [String] {
        token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    private static func decodedHeader(_ token: String) -> String {
        String(decoding: Base64URL.decode(segments(token)[0])!, as: UTF8.self)
    }

    // MARK: Signing and verifying

    @Test(arguments: SignatureAlgorithm.allCases)
    func signedTokensVerifyWithTheSameClaims(algorithm: SignatureAlgorithm) throws {
        let jwt = Self.jwt(algorithm)
        let token = jwt.sign(JWTTestSupport.claims)
        #expect(try jwt.verify(token, now: Self.now) == JWTTestSupport.claims)
        #expect(jwt.algorithm == algorithm.rawValue)
    }

    /// API.md: asymmetric headers add `kid`, the key's RFC 7638 thumbprint.
    @Test(arguments: SignatureAlgorithm.allCases)
    func theHeaderNamesTheKeyByItsThumbprint(algorithm: SignatureAlgorithm) {
        let key = SigningKeyTestSupport.key(algorithm)
        let token = Self.jwt(algorithm).sign(JWTTestSupport.claims)
        #expect(Self.decodedHeader(token) == #"{"alg":"\#(algorithm.rawValue)","typ":"JWT","kid":"\#(key.publicKey.thumbprint)"}"#)
        #expect(Base64URL.decode(Self.segments(token)[2])?.count == (algorithm == .rs256 ? 256 : 64))
    }

    /// The payload is the same claims JSON as under HS256; only header and signature differ.
    @Test func thePayloadIsTheContractsClaimsJSON() {
        let asymmetric = Self.segments(Self.edDSA.sign(JWTTestSupport.claims))[1]
        let symmetric = Self.segments(AccessTokenJWT(secret: JWTTestSupport.secret).sign(JWTTestSupport.claims))[1]
        #expect(asymmetric == symmetric)
    }

    @Test func theJWKSListsTheSigningKeyFirstThenTheVerificationKeys() {
        let previous = SigningKeyTestSupport.otherKey(.es256).publicKey
        let jwt = Self.jwt(.es256, verificationKeys: [previous])
        #expect(jwt.publicKeys.keyIDs == [SigningKeyTestSupport.key(.es256).publicKey.keyID, previous.keyID])
        #expect(AccessTokenJWT(secret: JWTTestSupport.secret).publicKeys.keys.isEmpty)
    }

    /// During a rotation, tokens of the previous key verify until they expire.
    @Test(arguments: SignatureAlgorithm.allCases)
    func tokensOfAVerificationKeyStillVerify(algorithm: SignatureAlgorithm) throws {
        let previous = try AccessTokenJWT(signingKey: SigningKeyTestSupport.otherKey(algorithm))
        let rotated = Self.jwt(algorithm, verificationKeys: [SigningKeyTestSupport.otherKey(algorithm).publicKey])
        let oldToken = previous.sign(JWTTestSupport.claims)
        #expect(try rotated.verify(oldToken, now: Self.now) == JWTTestSupport.claims)
        #expect(throws: JWTError.unknownKeyID) { try Self.jwt(algorithm).verify(oldToken, now: Self.now) }
    }

    @Test func aVerificationKeyOfAnotherAlgorithmIsAConfigurationError() {
        #expect(throws: SigningKeyError.algorithmMismatch(expected: .edDSA, found: .rs256)) {
            try AccessTokenJWT(signingKey: SigningKeyTestSupport.key(.edDSA), verificationKeys: [SigningKeyTestSupport.key(.rs256).publicKey])
        }
    }

    @Test func theClaimsRulesStillApply() throws {
        let configured = try AccessTokenJWT(signingKey: SigningKeyTestSupport.key(.rs256), issuer: "authserver", audience: "uploads", leeway: 0)
        let token = configured.sign(JWTTestSupport.claims)
        #expect(try configured.verify(token, now: 1_700_000_900).audience == ["uploads"])
        #expect(throws: JWTError.expired) { try configured.verify(token, now: 1_700_000_901) }
        let unconfigured = Self.jwt(.rs256).sign(JWTTestSupport.claims)
        #expect(throws: JWTError.issuerMismatch) { try configured.verify(unconfigured, now: Self.now) }
    }

    @Test func tokensOverTheSizeLimitAreRejectedBeforeParsing() {
        #expect(throws: JWTError.tooLong) { try Self.edDSA.verify(String(repeating: "A", count: AccessTokenJWT.maximumTokenLength + 1), now: Self.now) }
    }

    // MARK: Refusals (each token otherwise well formed and, where it can be, validly signed)

    @Test func anHS256TokenIsRefusedUnderAnAsymmetricAlgorithm() {
        let token = JWTTestSupport.token(payload: JWTTestSupport.payload())
        #expect(throws: JWTError.unsupportedHeader("alg")) { try Self.edDSA.verify(token, now: Self.now) }
    }

    /// The classic confusion attack: HS256 keyed with the public key's PEM, which anyone can fetch.
    @Test func anHS256TokenKeyedWithThePublicKeysPEMIsRefused() {
        let key = SigningKeyTestSupport.key(.rs256).publicKey
        let header = #"{"alg":"HS256","typ":"JWT","kid":"\#(key.keyID)"}"#
        for secret in [key.pemSPKI(), String(key.pemSPKI().dropLast())] {
            let token = JWTTestSupport.token(header: header, payload: JWTTestSupport.payload(), secret: Array(secret.utf8))
            #expect(throws: JWTError.unsupportedHeader("alg")) { try Self.jwt(.rs256).verify(token, now: Self.now) }
        }
    }

    /// The same attack keyed with the JWK we publish at /.well-known/jwks.json.
    @Test func anHS256TokenKeyedWithThePublicJWKIsRefused() {
        let key = SigningKeyTestSupport.key(.es256).publicKey
        let header = #"{"alg":"HS256","typ":"JWT","kid":"\#(key.keyID)"}"#
        let token = JWTTestSupport.token(header: header, payload: JWTTestSupport.payload(), secret: key.jwkJSON())
        #expect(throws: JWTError.unsupportedHeader("alg")) { try Self.es256.verify(token, now: Self.now) }
    }

    @Test func anUnsignedAlgNoneTokenIsRefused() {
        let kid = SigningKeyTestSupport.key(.edDSA).publicKey.keyID
        for header in [#"{"alg":"none","typ":"JWT","kid":"\#(kid)"}"#, #"{"alg":"none"}"#] {
            let token = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(JWTTestSupport.payload().utf8)) + "."
            #expect(throws: JWTError.unsupportedHeader("alg")) { try Self.edDSA.verify(token, now: Self.now) }
        }
    }

    /// A token of another asymmetric algorithm, validly signed by a key of that algorithm.
    @Test func aTokenOfAnotherAsymmetricAlgorithmIsRefused() {
        let token = Self.es256.sign(JWTTestSupport.claims)
        #expect(throws: JWTError.unsupportedHeader("alg")) { try Self.edDSA.verify(token, now: Self.now) }
    }

    @Test func anUnknownKidIsRefused() {
        let stranger = SigningKeyTestSupport.otherKey(.edDSA)
        let token = JWTTestSupport.token(header: JWTTestSupport.header(for: stranger), payload: JWTTestSupport.payload(), key: stranger)
        #expect(throws: JWTError.unknownKeyID) { try Self.edDSA.verify(token, now: Self.now) }
    }

    @Test func aMissingKidIsRefused() {
        let key = SigningKeyTestSupport.key(.edDSA)
        let token = JWTTestSupport.token(header: #"{"alg":"EdDSA","typ":"JWT"}"#, payload: JWTTestSupport.payload(), key: key)
        #expect(throws: JWTError.unsupportedHeader("kid")) { try Self.edDSA.verify(token, now: Self.now) }
    }

    @Test func aKidThatIsNotAStringIsRefused() {
        let key = SigningKeyTestSupport.key(.edDSA)
        let token = JWTTestSupport.token(header: #"{"alg":"EdDSA","kid":["\#(key.publicKey.keyID)"]}"#, payload: JWTTestSupport.payload(), key: key)
        #expect(throws: JWTError.unsupportedHeader("kid")) { try Self.edDSA.verify(token, now: Self.now) }
    }

    /// A stranger's token naming our kid fails on the signature.
    @Test func aStrangersTokenUnderOurKidHasABadSignature() {
        let stranger = SigningKeyTestSupport.otherKey(.es256)
        let token = JWTTestSupport.token(header: JWTTestSupport.header(for: SigningKeyTestSupport.key(.es256)), payload: JWTTestSupport.payload(), key: stranger)
        #expect(throws: JWTError.badSignature) { try Self.es256.verify(token, now: Self.now) }
    }

    /// The attacker's key, embedded in the header and signing the token, is never used, nor is
    /// ours when the header embeds it: a `jwk` header is refused outright.
    @Test func aJWKHeaderIsRefused() {
        let stranger = SigningKeyTestSupport.otherKey(.edDSA)
        let ours = SigningKeyTestSupport.key(.edDSA)
        for (embedded, signer) in [(stranger, stranger), (ours, ours)] {
            let jwk = String(decoding: embedded.publicKey.jwkJSON(), as: UTF8.self)
            let header = #"{"alg":"EdDSA","typ":"JWT","kid":"\#(embedded.publicKey.keyID)","jwk":\#(jwk)}"#
            let token = JWTTestSupport.token(header: header, payload: JWTTestSupport.payload(), key: signer)
            #expect(throws: JWTError.unsupportedHeader("jwk")) { try Self.edDSA.verify(token, now: Self.now) }
        }
    }

    @Test func aJKUHeaderIsRefused() {
        expectHeaderMemberRefused("jku", #""https://attacker.example/jwks.json""#)
    }

    @Test func anX5UHeaderIsRefused() {
        expectHeaderMemberRefused("x5u", #""https://attacker.example/cert.pem""#)
    }

    @Test func anX5CHeaderIsRefused() {
        expectHeaderMemberRefused("x5c", #"["MIIBkTCB+wIJAK..."]"#)
    }

    @Test func aCritHeaderIsRefused() {
        expectHeaderMemberRefused("crit", #"["exp"]"#)
    }

    @Test func aTypOtherThanJWTIsRefused() {
        expectHeaderMemberRefused("typ", #""JWS""#, replacingTyp: true)
    }

    /// Our own key signs validly, so only the member is at fault.
    private func expectHeaderMemberRefused(_ member: String, _ value: String, replacingTyp: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) {
        let key = SigningKeyTestSupport.key(.edDSA)
        let typ = replacingTyp ? "" : #""typ":"JWT","#
        let header = #"{"alg":"EdDSA",\#(typ)"kid":"\#(key.publicKey.keyID)","\#(member)":\#(value)}"#
        let token = JWTTestSupport.token(header: header, payload: JWTTestSupport.payload(), key: key)
        #expect(throws: JWTError.unsupportedHeader(member), sourceLocation: sourceLocation) { try Self.edDSA.verify(token, now: Self.now) }
    }

    /// RFC 7518 §3.4: the JWS signature is r || s. The same valid signature in DER, as OpenSSL and
    /// some libraries produce it, is refused.
    @Test func aDEREncodedES256SignatureIsRefused() throws {
        let token = Self.es256.sign(JWTTestSupport.claims)
        let parts = Self.segments(token)
        let raw = try #require(Base64URL.decode(parts[2]))
        let der = raw.withUnsafeBytes { ECDSASignature.der(fromJOSE: $0) }
        let forged = parts[0] + "." + parts[1] + "." + Base64URL.encode(der)
        #expect(throws: JWTError.malformed("ES256 signature is \(der.count) bytes, not 64")) { try Self.es256.verify(forged, now: Self.now) }
    }

    @Test func anES256SignatureOfTheWrongLengthIsRefused() throws {
        let parts = Self.segments(Self.es256.sign(JWTTestSupport.claims))
        let raw = try #require(Base64URL.decode(parts[2]))
        for signature in [Array(raw.dropLast()), raw + [0], [0] + raw, Array(raw.prefix(32)), []] {
            let forged = parts[0] + "." + parts[1] + "." + Base64URL.encode(signature)
            #expect(throws: JWTError.malformed("ES256 signature is \(signature.count) bytes, not 64")) { try Self.es256.verify(forged, now: Self.now) }
        }
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func aTamperedPayloadIsRefused(algorithm: SignatureAlgorithm) {
        let jwt = Self.jwt(algorithm)
        let parts = Self.segments(jwt.sign(JWTTestSupport.claims))
        var admin = JWTTestSupport.claims
        admin.role = "ADMIN"
        let forgedPayload = Self.segments(jwt.sign(admin))[1]
        #expect(throws: JWTError.badSignature) { try jwt.verify(parts[0] + "." + forgedPayload + "." + parts[2], now: Self.now) }
    }

    /// The signature is checked before the claims: garbage claims signed by our key fail on the
    /// claims, the same signed by a stranger under our kid on the signature.
    @Test func theSignatureIsCheckedBeforeTheClaims() {
        let ours = SigningKeyTestSupport.key(.rs256)
        let header = JWTTestSupport.header(for: ours)
        let signed = JWTTestSupport.token(header: header, payload: "not json", key: ours)
        #expect(throws: JWTError.malformed("payload is not a strict JSON object (syntax)")) { try Self.jwt(.rs256).verify(signed, now: Self.now) }
        let forged = JWTTestSupport.token(header: header, payload: "not json", key: SigningKeyTestSupport.otherKey(.rs256))
        #expect(throws: JWTError.badSignature) { try Self.jwt(.rs256).verify(forged, now: Self.now) }
    }
}
