import AuthCrypto
import Foundation
import JSON
import Testing

@Suite("GET /.well-known/jwks.json and jwt-info under signing keys")
struct JWKSTests {
    @Test func underHS256TheKeySetIsEmptyAndPublic() async throws {
        let app = try await TestApp()
        let response = try await app.client().call("GET", "/.well-known/jwks.json")
        #expect(response.status == 200)
        #expect(response.text == #"{"keys":[]}"#)
        #expect(response.header("Cache-Control") == "public, max-age=300")
        #expect(response.header("Content-Type") == "application/json; charset=utf-8")
        let info = try await app.client().call("GET", "/api/auth/jwt-info")
        #expect(info.json["keyIds"] as? [String] == [])
    }

    @Test func theKeySetListsTheSigningKeyThenTheVerificationKeysAndTheirTokensVerify() async throws {
        let current = PrivateSigningKey.generate(.rs256)
        let previous = PrivateSigningKey.generate(.rs256)
        let app = try await TestApp([
            "JWT_ALGORITHM": "RS256",
            "JWT_PRIVATE_KEY_FILE": try SigningKeyConfigurationTests.keyFile(current.pemPKCS8()),
            "JWT_VERIFY_KEY_FILES": try SigningKeyConfigurationTests.keyFile(previous.publicKey.pemSPKI()),
        ])
        let client = try app.client()
        let response = try await client.call("GET", "/.well-known/jwks.json")
        #expect(response.status == 200)
        // The security headers leave a handler's own caching alone.
        #expect(response.headers.filter { $0.name.lowercased() == "cache-control" }.map(\.value) == ["public, max-age=300"])
        let published = try JWKSet(json: response.body)
        #expect(published.keyIDs == [current.publicKey.keyID, previous.publicKey.keyID])
        #expect(!response.text.contains("\"d\""))

        let info = try await client.call("GET", "/api/auth/jwt-info")
        #expect(info.json["algorithm"] as? String == "RS256")
        #expect(info.json["keyIds"] as? [String] == published.keyIDs)
        #expect(info.json["secretLength"] is NSNull && info.json["secretFingerprint"] is NSNull)

        // Ours verifies with nothing but the published keys; one of the previous key verifies here.
        let account = try await client.register()
        let verifier = JWSVerifier(keys: published, algorithms: [.rs256])
        #expect(try verifier.verifiedPayload(account.accessToken)["sub"] == .string(account.id))
        let claims = try AccessTokenJWT(signingKey: current).verify(account.accessToken, now: Int(Date().timeIntervalSince1970))
        let old = try AccessTokenJWT(signingKey: previous).sign(claims)
        #expect(try await client.call("GET", "/api/auth/me", token: old).status == 200)
        #expect(try await client.call("GET", "/api/auth/verify-token", token: old).status == 200)
        let stranger = try AccessTokenJWT(signingKey: PrivateSigningKey.generate(.rs256)).sign(claims)
        #expect(try await client.call("GET", "/api/auth/me", token: stranger).code == "INVALID_TOKEN")
    }
}
