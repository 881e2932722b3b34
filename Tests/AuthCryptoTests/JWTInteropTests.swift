import AuthCrypto
import Foundation
import Testing

/// PyJWT is how the partner FastAPI service verifies our access tokens (API.md): our tokens must
/// decode there with the same claims, and its tokens with our claims must verify here. PyJWT
/// checks `exp` and `iat` against the real clock, so these tokens are minted for now.
struct JWTInteropTests {
    static let secretHex = Hex.encode(JWTTestSupport.secret)
    let now = Int(Date().timeIntervalSince1970)

    private func claims(email: String = "ada@example.com", issuer: String? = nil, audience: [String] = []) -> AccessTokenClaims {
        AccessTokenClaims(
            subject: "6f1c2d3e-0000-4000-8000-000000000001", email: email, role: "EMPLOYER",
            issuedAt: now - 5, expiresAt: now + 900, notBefore: now - 5, tokenId: UUID().uuidString, sessionId: "sid-1",
            issuer: issuer, audience: audience
        )
    }

    /// The claims as PyJWT's json.dumps would print them, parsed back for comparison.
    private func expectedJSON(_ claims: AccessTokenClaims) -> NSDictionary {
        var object: [String: Any] = [
            "sub": claims.subject, "userId": claims.userId, "email": claims.email, "email_verified": claims.emailVerified, "role": claims.role,
            "type": claims.type, "iat": claims.issuedAt, "exp": claims.expiresAt, "nbf": claims.notBefore!,
            "jti": claims.tokenId!, "sid": claims.sessionId!,
        ]
        if let issuer = claims.issuer { object["iss"] = issuer }
        if claims.audience.count == 1 { object["aud"] = claims.audience[0] } else if !claims.audience.isEmpty { object["aud"] = claims.audience }
        return object as NSDictionary
    }

    private func parse(_ json: String) throws -> NSDictionary {
        try #require(JSONSerialization.jsonObject(with: Data(json.utf8)) as? NSDictionary)
    }

    @Test func ourTokensDecodeInPyJWTWithTheSameClaims() throws {
        let plain = AccessTokenJWT(secret: JWTTestSupport.secret)
        let configured = AccessTokenJWT(secret: JWTTestSupport.secret, issuer: "authserver", audience: "uploads")
        let cases: [(token: String, audience: String?, claims: AccessTokenClaims)] = [
            (plain.sign(claims()), nil, claims()),
            (plain.sign(claims(email: "zoë+\"quoted\"\\@example.com\n")), nil, claims(email: "zoë+\"quoted\"\\@example.com\n")),
            (configured.sign(claims()), "uploads", claims(issuer: "authserver", audience: ["uploads"])),
            (plain.sign(claims(audience: ["billing", "uploads"])), "uploads", claims(audience: ["billing", "uploads"])),
        ]
        let answers = try InteropScript.run(
            "jwt-decode", Self.secretHex, lines: cases.map { $0.token + ($0.audience.map { " " + $0 } ?? "") }
        )
        for (answer, testCase) in zip(answers, cases) {
            var expected = expectedJSON(testCase.claims) as! [String: Any]
            expected["jti"] = try parse(answer)["jti"]  // each claims() call draws a fresh jti
            #expect(try parse(answer) == expected as NSDictionary, "PyJWT decoded \(answer)")
        }
    }

    @Test func pyJWTTokensWithOurClaimsVerifyHere() throws {
        let claims = claims(email: "zoë@example.com", audience: ["billing", "uploads"])
        let payload = try JSONSerialization.data(withJSONObject: expectedJSON(claims))
        let tokens = try InteropScript.run("jwt-encode", Self.secretHex, lines: [String(decoding: payload, as: UTF8.self)])
        #expect(try AccessTokenJWT(secret: JWTTestSupport.secret).verify(tokens[0], now: now) == claims)
        #expect(try AccessTokenJWT(secret: JWTTestSupport.secret, audience: "uploads").verify(tokens[0], now: now) == claims)
        #expect(throws: JWTError.badSignature) {
            try AccessTokenJWT(secret: Array("another-secret-of-at-least-32-bytes!".utf8)).verify(tokens[0], now: now)
        }
    }

    /// PyJWT writes a float NumericDate as a JSON fraction; we floor it.
    @Test func pyJWTFractionalTimesVerifyHere() throws {
        let payload = #"{"sub":"u-1","email":"a@b.co","role":"CANDIDATE","type":"access","iat":\#(now).75,"exp":\#(now + 60).5}"#
        let tokens = try InteropScript.run("jwt-encode", Self.secretHex, lines: [payload])
        let verified = try AccessTokenJWT(secret: JWTTestSupport.secret).verify(tokens[0], now: now)
        #expect(verified.issuedAt == now)
        #expect(verified.expiresAt == now + 60)
        #expect(verified.userId == "u-1")
    }
}
