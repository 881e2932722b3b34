import AuthCrypto
import Foundation
import JSON
import Testing

/// Interop with what partners run (API.md, Signing keys and JWKS): PyJWT verifying our tokens
/// with the keys of our JWK Set, as its PyJWKClient does, and pyca/cryptography on the raw
/// signatures, keys and JWKs, both ways for EdDSA, ES256 and RS256. PyJWT checks `exp` and `iat`
/// against the real clock, so these tokens are minted for now.
struct JWTAsymmetricInteropTests {
    let now = Int(Date().timeIntervalSince1970)

    private func claims(audience: [String] = []) -> AccessTokenClaims {
        AccessTokenClaims(
            subject: "6f1c2d3e-0000-4000-8000-000000000001", email: "zoë@example.com", emailVerified: true, role: "EMPLOYER",
            issuedAt: now - 5, expiresAt: now + 900, notBefore: now - 5, tokenId: "jti-interop", sessionId: "sid-1",
            audience: audience
        )
    }

    /// The claims as PyJWT's json.dumps prints them, parsed for comparison.
    private func expectedJSON(_ claims: AccessTokenClaims) -> NSDictionary {
        var object: [String: Any] = [
            "sub": claims.subject, "userId": claims.userId, "email": claims.email, "email_verified": claims.emailVerified,
            "role": claims.role, "type": claims.type, "iat": claims.issuedAt, "exp": claims.expiresAt,
            "nbf": claims.notBefore!, "jti": claims.tokenId!, "sid": claims.sessionId!,
        ]
        if claims.audience.count == 1 { object["aud"] = claims.audience[0] }
        return object as NSDictionary
    }

    private func parse(_ json: String) throws -> NSDictionary {
        try #require(JSONSerialization.jsonObject(with: Data(json.utf8)) as? NSDictionary)
    }

    private func pemHex(_ pem: String) -> String {
        Hex.encode(Array(pem.utf8))
    }

    @Test func ourTokensVerifyInPyJWTWithTheKeysOfOurJWKSet() throws {
        let jwts = try SignatureAlgorithm.allCases.map { try AccessTokenJWT(signingKey: SigningKeyTestSupport.key($0), audience: "uploads") }
        let jwks = JWKSet(jwts.flatMap(\.publicKeys.keys)).encodedJSON()
        let tokens = jwts.map { $0.sign(claims()) }
        let answers = try InteropScript.run("jws-decode", String(decoding: jwks, as: UTF8.self), lines: tokens.map { $0 + " uploads" })
        for (answer, jwt) in zip(answers, jwts) {
            #expect(try parse(answer) == expectedJSON(claims(audience: ["uploads"])), "PyJWT decoded \(jwt.algorithm) as \(answer)")
        }
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func pyJWTTokensSignedWithOurKeyVerifyHere(algorithm: SignatureAlgorithm) throws {
        let key = SigningKeyTestSupport.key(algorithm)
        let payload = try JSONSerialization.data(withJSONObject: expectedJSON(claims()))
        let tokens = try InteropScript.run("jws-encode", pemHex(key.pemPKCS8()), lines: [key.publicKey.keyID + " " + String(decoding: payload, as: UTF8.self)])
        #expect(try AccessTokenJWT(signingKey: key).verify(tokens[0], now: now) == claims())
        #expect(throws: JWTError.unknownKeyID) { try AccessTokenJWT(signingKey: SigningKeyTestSupport.otherKey(algorithm)).verify(tokens[0], now: now) }
    }

    /// Random messages, every other one altered before the question, so that "0" is tested too.
    @Test(arguments: SignatureAlgorithm.allCases)
    func ourSignaturesVerifyInCryptography(algorithm: SignatureAlgorithm) throws {
        let key = SigningKeyTestSupport.key(algorithm)
        let messages = (0..<20).map { SecureRandom.bytes(count: $0 * 7) }
        let questions = messages.enumerated().map { index, message in
            let signature = key.sign(message)
            let asked = index % 2 == 0 ? message : message + [0x2E]
            return "\(Hex.encode(asked)) \(Hex.encode(signature))"
        }
        let answers = try InteropScript.run("sig-verify", pemHex(key.publicKey.pemSPKI()), lines: questions)
        #expect(answers == messages.indices.map { $0 % 2 == 0 ? "1" : "0" })
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func cryptographySignaturesVerifyHere(algorithm: SignatureAlgorithm) throws {
        let key = SigningKeyTestSupport.key(algorithm)
        let messages = (1...20).map { SecureRandom.bytes(count: $0 * 7) }
        let signatures = try InteropScript.run("sig-sign", pemHex(key.pemPKCS8()), lines: messages.map { Hex.encode($0) })
        for (message, signature) in zip(messages, signatures) {
            let bytes = hexBytes(signature)
            #expect(key.publicKey.isValidSignature(bytes, for: message), "\(signature)")
            #expect(!key.publicKey.isValidSignature(bytes, for: message + [0]))
        }
    }

    /// Keys that cryptography generates load here, sign for PyJWT, and give the JWK PyJWT writes.
    @Test func cryptographysKeysLoadHereWithTheJWKPyJWTWrites() throws {
        let answers = try InteropScript.run("key-generate", lines: SignatureAlgorithm.allCases.map(\.rawValue))
        for (algorithm, answer) in zip(SignatureAlgorithm.allCases, answers) {
            let parts = answer.split(separator: " ", maxSplits: 1).map(String.init)
            let key = try PrivateSigningKey(pem: String(decoding: hexBytes(parts[0]), as: UTF8.self))
            #expect(key.algorithm == algorithm)
            let theirs = try JSONParser.parseObject(Array(parts[1].utf8))
            let ours = try JSONParser.parseObject(key.publicKey.jwkJSON())
            for member in ["kty", "crv", "x", "y", "n", "e"] {
                #expect(ours[member] == theirs[member], "\(algorithm.rawValue) member \(member)")
            }
            #expect(try PublicSigningKey(jwk: theirs).thumbprint == key.publicKey.thumbprint)
        }
    }
}
