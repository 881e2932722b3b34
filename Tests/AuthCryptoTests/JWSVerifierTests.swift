import AuthCrypto
import JSON
import Testing

/// The JWS layer as an OpenID Connect ID-token verifier will use it: a provider's key set,
/// several allowed algorithms, its own claims read with JWTClaimReader and JWTValidity.
struct JWSVerifierTests {
    private static let rsa = SigningKeyTestSupport.key(.rs256)
    private static let ec = SigningKeyTestSupport.key(.es256)
    private static let ed = SigningKeyTestSupport.key(.edDSA)
    /// What a provider's jwks_uri might serve: two signing keys we use and one we do not allow.
    private static let providerKeys = try! JWKSet(json: JWKSet([rsa.publicKey, ec.publicKey, ed.publicKey]).encodedJSON())
    private static let verifier = JWSVerifier(keys: providerKeys, algorithms: [.rs256, .es256])

    private static let idToken = #"""
        {"iss":"https://accounts.example.com","aud":"client-1","azp":"client-1","sub":"10769150350006150715113082367",
         "exp":1700000900,"iat":1700000000,"nonce":"n-0S6_WzA2Mj","email":"ada@example.com","email_verified":true,"name":"Ada"}
        """#

    /// PyJWT and most providers order the header differently and may add members; any order verifies.
    @Test func tokensOfEachAllowedAlgorithmVerifyAndYieldTheirPayload() throws {
        for key in [Self.rsa, Self.ec] {
            let header = #"{"kid":"\#(key.publicKey.keyID)","typ":"JWT","alg":"\#(key.algorithm.rawValue)","x5t":"ignored"}"#
            let payload = try Self.verifier.verifiedPayload(JWTTestSupport.token(header: header, payload: Self.idToken, key: key))
            let claims = JWTClaimReader(json: payload)
            #expect(try claims.requiredString("iss") == "https://accounts.example.com")
            #expect(try claims.audience() == ["client-1"])
            #expect(try claims.optionalString("nonce") == "n-0S6_WzA2Mj")
            #expect(try claims.optionalBool("email_verified") == true)
            #expect(try claims.requiredNumericDate("iat") == 1_700_000_000)
            try JWTValidity.check(expiresAt: claims.requiredNumericDate("exp"), notBefore: claims.optionalNumericDate("nbf"), now: 1_700_000_100, leeway: 0)
        }
    }

    @Test func aKeyInTheSetWhoseAlgorithmIsNotAllowedIsRefused() {
        let token = JWTTestSupport.token(header: JWTTestSupport.header(for: Self.ed), payload: Self.idToken, key: Self.ed)
        #expect(throws: JWTError.unsupportedHeader("alg")) { try Self.verifier.verifiedPayload(token) }
    }

    /// A token claiming ES256 under the RSA key's kid: the alg must be the key's own.
    @Test func anAlgorithmThatIsNotTheKeysOwnIsRefused() {
        let header = #"{"alg":"ES256","kid":"\#(Self.rsa.publicKey.keyID)"}"#
        let token = JWTTestSupport.token(header: header, payload: Self.idToken, key: Self.ec)
        #expect(throws: JWTError.unsupportedHeader("alg")) { try Self.verifier.verifiedPayload(token) }
    }

    /// `.unknownKeyID` tells the caller to fetch the provider's keys again (API.md: at most once a minute).
    @Test func aKidOutsideTheSetIsUnknown() throws {
        let rotated = SigningKeyTestSupport.otherKey(.rs256)
        let token = JWTTestSupport.token(header: JWTTestSupport.header(for: rotated), payload: Self.idToken, key: rotated)
        #expect(throws: JWTError.unknownKeyID) { try Self.verifier.verifiedPayload(token) }
        let refreshed = JWSVerifier(keys: JWKSet(Self.providerKeys.keys + [rotated.publicKey]), algorithms: [.rs256, .es256])
        #expect(try refreshed.verifiedPayload(token)["nonce"] == .string("n-0S6_WzA2Mj"))
    }

    @Test func aProvidersOwnKidIsHonoured() throws {
        var jwk = try JSONParser.parseObject(Self.rsa.publicKey.jwkJSON())
        jwk["kid"] = .string("2024-06-provider-key")
        let keys = JWKSet([try PublicSigningKey(jwk: jwk)])
        let token = JWTTestSupport.token(header: #"{"alg":"RS256","kid":"2024-06-provider-key"}"#, payload: Self.idToken, key: Self.rsa)
        #expect(try JWSVerifier(keys: keys, algorithms: [.rs256]).verifiedPayload(token)["sub"] == .string("10769150350006150715113082367"))
    }

    @Test func noAllowedAlgorithmsVerifyNothing() {
        let token = JWTTestSupport.token(header: JWTTestSupport.header(for: Self.rsa), payload: Self.idToken, key: Self.rsa)
        #expect(throws: JWTError.unsupportedHeader("alg")) { try JWSVerifier(keys: Self.providerKeys, algorithms: []).verifiedPayload(token) }
    }

    @Test func theClaimHelpersNameTheClaimAtFault() throws {
        let claims = JWTClaimReader(json: ["email_verified": .string("true"), "exp": .string("soon"), "aud": .array([.number(1)])])
        #expect(throws: JWTError.invalidClaim("email_verified")) { try claims.optionalBool("email_verified") }
        #expect(throws: JWTError.invalidClaim("exp")) { try claims.requiredNumericDate("exp") }
        #expect(throws: JWTError.invalidClaim("aud")) { try claims.audience() }
        #expect(throws: JWTError.invalidClaim("nonce")) { try claims.requiredString("nonce") }
        #expect(try claims.optionalBool("missing") == nil)
    }

    @Test func validityAllowsTheLeewayAndNoMore() throws {
        try JWTValidity.check(expiresAt: 100, notBefore: 50, now: 130, leeway: 30)
        try JWTValidity.check(expiresAt: 100, notBefore: 50, now: 20, leeway: 30)
        #expect(throws: JWTError.expired) { try JWTValidity.check(expiresAt: 100, notBefore: nil, now: 131, leeway: 30) }
        #expect(throws: JWTError.notYetValid) { try JWTValidity.check(expiresAt: 100, notBefore: 50, now: 19, leeway: 30) }
    }
}
