import AuthCrypto
import Testing

/// The claim rules of API.md's Tokens section, checked through verification of signed tokens.
struct AccessTokenClaimsTests {
    let jwt = AccessTokenJWT(secret: JWTTestSupport.secret)

    private func verify(_ payload: String) throws(JWTError) -> AccessTokenClaims {
        try jwt.verify(JWTTestSupport.token(payload: payload), now: JWTTestSupport.now)
    }

    @Test func theMinimalPayloadVerifiesAndUserIdDefaultsToSub() throws {
        let claims = try verify(JWTTestSupport.payload())
        #expect(claims.subject == "6f1c2d3e-0000-4000-8000-000000000001")
        #expect(claims.userId == claims.subject)
        #expect(claims.email == "ada@example.com")
        #expect(claims.role == "CANDIDATE")
        #expect(claims.type == "access")
        #expect(claims.issuedAt == 1_700_000_000)
        #expect(claims.expiresAt == 1_700_000_900)
        #expect(claims.notBefore == nil && claims.tokenId == nil && claims.sessionId == nil && claims.issuer == nil)
        #expect(claims.audience.isEmpty)
        #expect(claims.emailVerified == false)
    }

    @Test func emailVerifiedIsReadAndSigned() throws {
        #expect(try verify(JWTTestSupport.payload(setting: ["email_verified": "true"])).emailVerified)
        #expect(try verify(JWTTestSupport.payload(setting: ["email_verified": "false"])).emailVerified == false)
        var claims = JWTTestSupport.claims
        claims.emailVerified = true
        #expect(try jwt.verify(jwt.sign(claims), now: JWTTestSupport.now).emailVerified)
    }

    /// A string "true" (which some providers send) or a number is not a JSON boolean.
    @Test(arguments: [#""true""#, "1", "0", "null", #"[true]"#])
    func emailVerifiedMustBeABoolean(value: String) {
        #expect(throws: JWTError.invalidClaim("email_verified")) { try verify(JWTTestSupport.payload(setting: ["email_verified": value])) }
    }

    @Test func optionalClaimsAreRead() throws {
        let claims = try verify(JWTTestSupport.payload(setting: [
            "userId": #""u-2""#, "jti": #""j""#, "sid": #""s""#, "nbf": "1700000000", "iss": #""i""#, "aud": #"["a","b"]"#,
            "extra": #"{"nested":[1,2.5e3,null,true]}"#,
        ]))
        #expect(claims.userId == "u-2")
        #expect(claims.tokenId == "j")
        #expect(claims.sessionId == "s")
        #expect(claims.notBefore == 1_700_000_000)
        #expect(claims.issuer == "i")
        #expect(claims.audience == ["a", "b"])
    }

    @Test(arguments: ["exp", "iat", "sub", "email", "role", "type"])
    func requiredClaimsMustBePresent(name: String) {
        #expect(throws: JWTError.invalidClaim(name)) { try verify(JWTTestSupport.payload(removing: [name])) }
    }

    @Test(arguments: [
        ("sub", "42"), ("sub", "null"), ("email", "true"), ("role", #"["ADMIN"]"#), ("type", "{}"),
        ("userId", "7"), ("jti", "null"), ("sid", "1"), ("iss", "false"),
        ("exp", #""1700000900""#), ("exp", "null"), ("iat", #""now""#), ("nbf", "true"),
        ("exp", "1e300"), ("exp", "-1e300"), ("exp", "9007199254740992"), ("iat", "1e999"),
        ("aud", "1"), ("aud", #"["a",2]"#), ("aud", #"{"a":1}"#),
    ])
    func claimsMustHaveTheirJSONType(name: String, value: String) {
        #expect(throws: JWTError.invalidClaim(name)) { try verify(JWTTestSupport.payload(setting: [name: value])) }
    }

    @Test(arguments: [#""refresh""#, #""Access""#, #""""#])
    func typeMustBeAccess(value: String) {
        #expect(throws: JWTError.invalidClaim("type")) { try verify(JWTTestSupport.payload(setting: ["type": value])) }
    }

    @Test func aMissingExpIsInvalidNotExpired() {
        #expect(throws: JWTError.invalidClaim("exp")) { try verify(JWTTestSupport.payload(removing: ["exp"])) }
    }

    @Test func duplicateClaimsAreRejected() {
        let payload = JWTTestSupport.payload().dropLast() + #","exp":9999999999}"#
        #expect(throws: JWTError.malformed("payload is not a strict JSON object (duplicateKey)")) { try verify(String(payload)) }
        let escaped = JWTTestSupport.payload().dropLast() + #","\u0065xp":9999999999}"#
        #expect(throws: JWTError.malformed("payload is not a strict JSON object (duplicateKey)")) { try verify(String(escaped)) }
    }

    @Test(arguments: [#"["sub"]"#, #""claims""#, "42", "null", ""])
    func thePayloadMustBeAJSONObject(payload: String) {
        #expect(throws: JWTError.malformed("payload is not a strict JSON object (syntax)")) { try verify(payload) }
    }
}
