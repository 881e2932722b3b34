@testable import AuthCrypto
import Testing

/// AccessTokenJWT under HS256, the default algorithm: the contract's header and claims, and
/// every structural and header refusal, which the asymmetric algorithms share (JWSVerifier).
struct AccessTokenJWTHS256Tests {
    let jwt = AccessTokenJWT(secret: JWTTestSupport.secret)

    @Test func signedTokensVerifyWithTheSameClaims() throws {
        let token = jwt.sign(JWTTestSupport.claims)
        #expect(try jwt.verify(token, now: JWTTestSupport.now) == JWTTestSupport.claims)
    }

    @Test func emitsTheContractsHeaderAndClaimsJSON() throws {
        let segments = jwt.sign(JWTTestSupport.claims).split(separator: ".").map(String.init)
        #expect(segments.count == 3)
        let header = try #require(Base64URL.decode(segments[0]))
        let payload = try #require(Base64URL.decode(segments[1]))
        #expect(String(decoding: header, as: UTF8.self) == #"{"alg":"HS256","typ":"JWT"}"#)
        #expect(String(decoding: payload, as: UTF8.self) == """
            {"sub":"6f1c2d3e-0000-4000-8000-000000000001","userId":"6f1c2d3e-0000-4000-8000-000000000001",\
            "email":"ada@example.com","email_verified":false,"role":"CANDIDATE","type":"access","iat":1700000000,"exp":1700000900,\
            "jti":"jti-1","sid":"sid-1"}
            """)
    }

    @Test func escapesStringsInTheClaimsJSON() throws {
        var claims = JWTTestSupport.claims
        claims.email = "a\"b\\c\n\u{1}é@example.com"
        let token = jwt.sign(claims)
        let payload = try #require(Base64URL.decode(String(token.split(separator: ".")[1])))
        #expect(String(decoding: payload, as: UTF8.self).contains(#""email":"a\"b\\c\n\u0001é@example.com""#))
        #expect(try jwt.verify(token, now: JWTTestSupport.now).email == claims.email)
    }

    @Test func configuredIssuerAndAudienceAreSignedAndRequired() throws {
        let configured = AccessTokenJWT(secret: JWTTestSupport.secret, issuer: "authserver", audience: "uploads")
        let token = configured.sign(JWTTestSupport.claims)
        let payload = try #require(Base64URL.decode(String(token.split(separator: ".")[1])))
        #expect(String(decoding: payload, as: UTF8.self).hasSuffix(#","iss":"authserver","aud":"uploads"}"#))
        let verified = try configured.verify(token, now: JWTTestSupport.now)
        #expect(verified.issuer == "authserver")
        #expect(verified.audience == ["uploads"])

        #expect(throws: JWTError.issuerMismatch) { try configured.verify(jwt.sign(JWTTestSupport.claims), now: JWTTestSupport.now) }
        var otherIssuer = JWTTestSupport.claims
        otherIssuer.issuer = "someone-else"
        otherIssuer.audience = ["uploads"]
        #expect(throws: JWTError.issuerMismatch) { try configured.verify(jwt.sign(otherIssuer), now: JWTTestSupport.now) }
        var otherAudience = JWTTestSupport.claims
        otherAudience.issuer = "authserver"
        otherAudience.audience = ["billing", "search"]
        #expect(throws: JWTError.audienceMismatch) { try configured.verify(jwt.sign(otherAudience), now: JWTTestSupport.now) }
    }

    @Test func anAudienceArrayMustContainTheConfiguredAudience() throws {
        let configured = AccessTokenJWT(secret: JWTTestSupport.secret, audience: "uploads")
        let token = JWTTestSupport.token(payload: JWTTestSupport.payload(setting: ["aud": #"["billing","uploads"]"#]))
        #expect(try configured.verify(token, now: JWTTestSupport.now).audience == ["billing", "uploads"])
        let missing = JWTTestSupport.token(payload: JWTTestSupport.payload())
        #expect(throws: JWTError.audienceMismatch) { try configured.verify(missing, now: JWTTestSupport.now) }
    }

    @Test func unconfiguredIssuerAndAudienceAreNotChecked() throws {
        let token = JWTTestSupport.token(payload: JWTTestSupport.payload(setting: ["iss": #""elsewhere""#, "aud": #""anyone""#]))
        let claims = try jwt.verify(token, now: JWTTestSupport.now)
        #expect(claims.issuer == "elsewhere")
        #expect(claims.audience == ["anyone"])
    }

    // MARK: Expiry and not-before, with the default 30 s leeway

    @Test func expiryAllowsTheLeewayAndNoMore() throws {
        let token = jwt.sign(JWTTestSupport.claims)
        #expect(try jwt.verify(token, now: 1_700_000_900 + 30).subject == JWTTestSupport.claims.subject)
        #expect(throws: JWTError.expired) { try jwt.verify(token, now: 1_700_000_900 + 31) }
        #expect(throws: JWTError.expired) { try AccessTokenJWT(secret: JWTTestSupport.secret, leeway: 0).verify(token, now: 1_700_000_901) }
    }

    @Test func notBeforeAllowsTheLeewayAndNoMore() throws {
        var claims = JWTTestSupport.claims
        claims.notBefore = 1_700_000_500
        let token = jwt.sign(claims)
        #expect(try jwt.verify(token, now: 1_700_000_500 - 30).notBefore == 1_700_000_500)
        #expect(throws: JWTError.notYetValid) { try jwt.verify(token, now: 1_700_000_500 - 31) }
    }

    @Test func fractionalTimesAreFloored() throws {
        let token = JWTTestSupport.token(payload: JWTTestSupport.payload(setting: ["exp": "1700000900.999", "iat": "1.7000000005e9"]))
        let claims = try jwt.verify(token, now: JWTTestSupport.now)
        #expect(claims.expiresAt == 1_700_000_900)
        #expect(claims.issuedAt == 1_700_000_000)
    }

    // MARK: Structure

    @Test func tokensOverTheSizeLimitAreRejectedBeforeParsing() {
        let oversized = String(repeating: "A", count: AccessTokenJWT.maximumTokenLength + 1)
        #expect(throws: JWTError.tooLong) { try jwt.verify(oversized, now: JWTTestSupport.now) }
        let bigClaim = JWTTestSupport.token(payload: JWTTestSupport.payload(setting: ["pad": "\"" + String(repeating: "x", count: 6200) + "\""]))
        #expect(bigClaim.utf8.count > AccessTokenJWT.maximumTokenLength)
        #expect(throws: JWTError.tooLong) { try jwt.verify(bigClaim, now: JWTTestSupport.now) }
    }

    @Test func aTokenAtTheSizeLimitIsAccepted() throws {
        let base = JWTTestSupport.token(payload: JWTTestSupport.payload(setting: ["pad": #""""#]))
        // Each 3 bytes of padding add 4 characters; find the length that lands exactly on the limit.
        let padding = (AccessTokenJWT.maximumTokenLength - base.utf8.count) / 4 * 3
        let token = JWTTestSupport.token(payload: JWTTestSupport.payload(setting: ["pad": "\"" + String(repeating: "x", count: padding) + "\""]))
        #expect(token.utf8.count <= AccessTokenJWT.maximumTokenLength)
        #expect(token.utf8.count > AccessTokenJWT.maximumTokenLength - 4)
        #expect(try jwt.verify(token, now: JWTTestSupport.now).subject == JWTTestSupport.claims.subject)
    }

    @Test func tokensMustHaveExactlyThreeSegments() {
        let token = jwt.sign(JWTTestSupport.claims)
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        #expect(throws: JWTError.malformed("fewer than three segments")) { try jwt.verify(parts[0] + "." + parts[1], now: JWTTestSupport.now) }
        #expect(throws: JWTError.malformed("more than three segments")) { try jwt.verify(token + ".", now: JWTTestSupport.now) }
        #expect(throws: JWTError.malformed("more than three segments")) { try jwt.verify(token + "." + parts[2], now: JWTTestSupport.now) }
        #expect(throws: JWTError.malformed("fewer than three segments")) { try jwt.verify("", now: JWTTestSupport.now) }
    }

    /// Each segment is validly signed where it matters, so only the encoding can be at fault.
    @Test func segmentsMustBeStrictBase64URL() throws {
        let header = Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        // Nine '~' guarantee a whole 3-byte group "~~~", which encodes as "fn5-".
        let payload = Base64URL.encode(Array(JWTTestSupport.payload(setting: ["pad": #""~~~~~~~~~""#]).utf8))
        try #require(payload.contains("-"))
        let signature = String(JWTTestSupport.token(headerSegment: header, payloadSegment: payload).split(separator: ".")[2])
        #expect(try jwt.verify(header + "." + payload + "." + signature, now: JWTTestSupport.now).role == "CANDIDATE")

        let standardAlphabet = String(payload.map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 })
        for badPayload in [payload + "==", payload + "=", standardAlphabet, " " + payload, payload + "\n"] {
            let token = JWTTestSupport.token(headerSegment: header, payloadSegment: badPayload)
            #expect(throws: JWTError.malformed("payload is not base64url"), "\(badPayload)") { try jwt.verify(token, now: JWTTestSupport.now) }
        }
        #expect(throws: JWTError.malformed("signature is not base64url")) {
            try jwt.verify(header + "." + payload + "." + signature + "=", now: JWTTestSupport.now)
        }
        #expect(throws: JWTError.malformed("header is not base64url")) {
            try jwt.verify(header + "=." + payload + "." + signature, now: JWTTestSupport.now)
        }
    }

    // MARK: Header

    @Test(arguments: [
        #"{"alg":"none","typ":"JWT"}"#,
        #"{"alg":"HS512","typ":"JWT"}"#,
        #"{"alg":"RS256","typ":"JWT"}"#,
        #"{"alg":"hs256","typ":"JWT"}"#,
        #"{"alg":"HS256 ","typ":"JWT"}"#,
        #"{"typ":"JWT"}"#,
        #"{"alg":null}"#,
        #"{"alg":["HS256"]}"#,
    ])
    func onlyTheHS256AlgorithmIsAccepted(header: String) {
        let token = JWTTestSupport.token(header: header, payload: JWTTestSupport.payload())
        #expect(throws: JWTError.unsupportedHeader("alg")) { try jwt.verify(token, now: JWTTestSupport.now) }
    }

    @Test func anUnsignedAlgNoneTokenIsRejected() {
        let header = Base64URL.encode(Array(#"{"alg":"none","typ":"JWT"}"#.utf8))
        let payload = Base64URL.encode(Array(JWTTestSupport.payload().utf8))
        #expect(throws: JWTError.unsupportedHeader("alg")) { try jwt.verify(header + "." + payload + ".", now: JWTTestSupport.now) }
    }

    @Test func typMustBeJWTWhenPresent() throws {
        let withoutTyp = JWTTestSupport.token(header: #"{"alg":"HS256"}"#, payload: JWTTestSupport.payload())
        #expect(try jwt.verify(withoutTyp, now: JWTTestSupport.now).role == "CANDIDATE")
        let spaced = JWTTestSupport.token(header: #" { "typ" : "JWT" , "alg" : "HS256" , "kid" : "k1" } "#, payload: JWTTestSupport.payload())
        #expect(try jwt.verify(spaced, now: JWTTestSupport.now).role == "CANDIDATE")
        for header in [#"{"alg":"HS256","typ":"JWS"}"#, #"{"alg":"HS256","typ":"jwt"}"#, #"{"alg":"HS256","typ":1}"#] {
            let token = JWTTestSupport.token(header: header, payload: JWTTestSupport.payload())
            #expect(throws: JWTError.unsupportedHeader("typ")) { try jwt.verify(token, now: JWTTestSupport.now) }
        }
    }

    @Test func criticalHeaderExtensionsAreRejected() {
        let token = JWTTestSupport.token(header: #"{"alg":"HS256","crit":["b64"],"b64":false}"#, payload: JWTTestSupport.payload())
        #expect(throws: JWTError.unsupportedHeader("crit")) { try jwt.verify(token, now: JWTTestSupport.now) }
    }

    @Test(arguments: [#"["HS256"]"#, #""HS256""#, "", "{", #"{"alg":"HS256",}"#, #"{"alg":"HS256"} x"#])
    func theHeaderMustBeAJSONObject(header: String) {
        let token = JWTTestSupport.token(header: header, payload: JWTTestSupport.payload())
        #expect(throws: JWTError.self) { try jwt.verify(token, now: JWTTestSupport.now) }
        #expect(malformedReason(token)?.hasPrefix("header is not a strict JSON object") == true)
    }

    @Test func duplicateHeaderMembersAreRejected() {
        let token = JWTTestSupport.token(header: #"{"alg":"none","alg":"HS256"}"#, payload: JWTTestSupport.payload())
        #expect(throws: JWTError.malformed("header is not a strict JSON object (duplicateKey)")) { try jwt.verify(token, now: JWTTestSupport.now) }
    }

    // MARK: Signature

    /// The first character carries six signature bits; the last carries padding bits, so
    /// changing it may yield a non-canonical spelling of the same bytes rather than new bytes.
    @Test func aTamperedSignatureIsRejected() {
        let token = jwt.sign(JWTTestSupport.claims)
        let parts = token.split(separator: ".").map(String.init)
        let first = parts[2].first!
        let tampered = parts[0] + "." + parts[1] + "." + (first == "A" ? "B" : "A") + parts[2].dropFirst()
        #expect(throws: JWTError.badSignature) { try jwt.verify(tampered, now: JWTTestSupport.now) }
    }

    @Test func aTamperedPayloadOrHeaderIsRejected() throws {
        let token = jwt.sign(JWTTestSupport.claims)
        let parts = token.split(separator: ".").map(String.init)
        var admin = JWTTestSupport.claims
        admin.role = "ADMIN"
        let forgedPayload = jwt.sign(admin).split(separator: ".").map(String.init)[1]
        #expect(throws: JWTError.badSignature) { try jwt.verify(parts[0] + "." + forgedPayload + "." + parts[2], now: JWTTestSupport.now) }
        let otherHeader = Base64URL.encode(Array(#"{"typ":"JWT","alg":"HS256"}"#.utf8))
        #expect(throws: JWTError.badSignature) { try jwt.verify(otherHeader + "." + parts[1] + "." + parts[2], now: JWTTestSupport.now) }
    }

    @Test func aTokenSignedWithAnotherSecretIsRejected() {
        let other = AccessTokenJWT(secret: Array("another-secret-of-at-least-32-bytes!".utf8))
        #expect(throws: JWTError.badSignature) { try jwt.verify(other.sign(JWTTestSupport.claims), now: JWTTestSupport.now) }
    }

    @Test func aTruncatedSignatureIsRejected() {
        let token = jwt.sign(JWTTestSupport.claims)
        #expect(throws: JWTError.badSignature) { try jwt.verify(String(token.dropLast(3)), now: JWTTestSupport.now) }
    }

    /// The signature is checked before the claims are parsed: a correctly signed token with
    /// garbage claims fails on the claims, a badly signed one on the signature.
    @Test func theSignatureIsCheckedBeforeTheClaims() {
        let garbage = JWTTestSupport.token(payload: "not json")
        #expect(throws: JWTError.malformed("payload is not a strict JSON object (syntax)")) { try jwt.verify(garbage, now: JWTTestSupport.now) }
        let unsigned = JWTTestSupport.token(payload: "not json", secret: Array("wrong".utf8))
        #expect(throws: JWTError.badSignature) { try jwt.verify(unsigned, now: JWTTestSupport.now) }
    }

    // MARK: RFC 7515 Appendix A.1

    static let rfc7515Token = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
        + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
        + ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    static let rfc7515Key = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"

    /// The example's MAC covers its exact bytes (CRLF and spaces in both JSON texts).
    @Test func rfc7515ExampleMACMatches() throws {
        let key = try #require(Base64URL.decode(Self.rfc7515Key))
        let parts = Self.rfc7515Token.split(separator: ".").map(String.init)
        let mac = HMACSHA256.authenticate(message: Array((parts[0] + "." + parts[1]).utf8), key: key)
        #expect(Base64URL.encode(mac) == parts[2])
        let header = try #require(Base64URL.decode(parts[0]))
        #expect(String(decoding: header, as: UTF8.self) == "{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}")
    }

    /// Its header and signature pass; its claims (iss, exp, a URI-named claim) are not an access
    /// token's, so verification stops at the first required claim, and a forged copy stops earlier.
    @Test func rfc7515ExamplePassesTheSignatureAndStopsAtTheClaims() throws {
        let example = AccessTokenJWT(secret: try #require(Base64URL.decode(Self.rfc7515Key)))
        #expect(throws: JWTError.invalidClaim("sub")) { try example.verify(Self.rfc7515Token, now: 1_300_819_380) }
        let forged = String(Self.rfc7515Token.dropLast(43)) + "eBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        #expect(throws: JWTError.badSignature) { try example.verify(forged, now: 1_300_819_380) }
    }

    /// The example expired in 2011: with access-token claims added and the same expiry, signed
    /// under its key, the expiry check fires at exp + leeway + 1 and not before.
    @Test func rfc7515ExampleExpiryIsHonoured() throws {
        let example = AccessTokenJWT(secret: try #require(Base64URL.decode(Self.rfc7515Key)))
        let token = JWTTestSupport.token(
            header: "{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}",
            payload: JWTTestSupport.payload(setting: ["iss": #""joe""#, "exp": "1300819380", "iat": "1300819000", "http://example.com/is_root": "true"]),
            secret: try #require(Base64URL.decode(Self.rfc7515Key))
        )
        #expect(try example.verify(token, now: 1_300_819_380 + 30).issuer == "joe")
        #expect(throws: JWTError.expired) { try example.verify(token, now: 1_300_819_380 + 31) }
    }

    private func malformedReason(_ token: String) -> String? {
        do {
            _ = try jwt.verify(token, now: JWTTestSupport.now)
            return nil
        } catch {
            guard case .malformed(let reason) = error else { return nil }
            return reason
        }
    }
}
