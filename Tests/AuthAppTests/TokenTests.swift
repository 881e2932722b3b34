import AuthCrypto
import Foundation
import Testing

@Suite("Access tokens on protected routes, verify-token and jwt-info")
struct TokenTests {
    @Test func protectedRoutesAnswerTheThreeTokenFailures() async throws {
        let app = try await TestApp()
        let client = try app.client()
        let account = try await client.register()

        let none = try await client.call("GET", "/api/auth/me")
        #expect(none.status == 401)
        #expect(none.code == "NO_TOKEN")
        let basic = try await client.call("GET", "/api/auth/me", headers: [("Authorization", "Basic dXNlcjpwYXNz")])
        #expect(basic.code == "NO_TOKEN")

        // Changing the first signature character: the last carries padding bits and may not matter.
        let parts = account.accessToken.split(separator: ".")
        let signature = parts[2]
        let flipped = (signature.first == "A" ? "B" : "A") + signature.dropFirst()
        let tampered = try await client.call("GET", "/api/auth/me", token: "\(parts[0]).\(parts[1]).\(flipped)")
        #expect(tampered.status == 401)
        #expect(tampered.code == "INVALID_TOKEN")

        let expired = try signedToken(userID: account.id, email: account.email, issuedAt: 1_000, expiresAt: 2_000)
        let old = try await client.call("GET", "/api/auth/me", token: expired)
        #expect(old.code == "TOKEN_EXPIRED")

        #expect(try await client.call("GET", "/api/auth/me", token: String(repeating: "a", count: 9000)).code == "INVALID_TOKEN")
        #expect(try await client.call("GET", "/api/auth/me", token: account.accessToken).status == 200)
    }

    @Test func ourAccessTokenCarriesTheContractsClaims() async throws {
        let app = try await TestApp()
        let account = try await app.client().register()
        let claims = try AccessTokenJWT(secret: Array(TestApp.secret.utf8)).verify(account.accessToken, now: Int(Date().timeIntervalSince1970))
        #expect(claims.subject == account.id)
        #expect(claims.userId == account.id)
        #expect(claims.email == account.email)
        #expect(claims.role == "CANDIDATE")
        #expect(claims.type == "access")
        #expect(claims.expiresAt - claims.issuedAt == 900)
        #expect(claims.tokenId != nil)
        #expect(claims.sessionId != nil)
        #expect(claims.audience.isEmpty && claims.issuer == nil)
        let header = Base64URL.decode(account.accessToken.split(separator: ".")[0]).map { String(decoding: $0, as: UTF8.self) }
        #expect(header == #"{"alg":"HS256","typ":"JWT"}"#)
    }

    @Test func verifyTokenTellsValidExpiredInvalidAndMissing() async throws {
        let app = try await TestApp()
        let client = try app.client()
        let account = try await client.register()

        let valid = try await client.call("GET", "/api/auth/verify-token", token: account.accessToken)
        #expect(valid.status == 200)
        #expect(valid.json["valid"] as? Bool == true)
        let user = try #require(valid.json["user"] as? [String: Any])
        #expect(user["userId"] as? String == account.id)
        #expect(user["email"] as? String == account.email)
        #expect(user["role"] as? String == "CANDIDATE")
        #expect(valid.json["issuedAt"] is String && valid.json["expiresAt"] is String)

        let posted = try await client.call("POST", "/api/auth/verify-token", json: ["token": account.accessToken])
        #expect(posted.json["valid"] as? Bool == true)

        for (token, code) in [(try signedToken(userID: account.id, email: account.email, issuedAt: 1_000, expiresAt: 2_000), "TOKEN_EXPIRED"),
                              ("a.b.c", "INVALID_TOKEN")] {
            let response = try await client.call("GET", "/api/auth/verify-token", token: token)
            #expect(response.status == 401)
            #expect(response.json["valid"] as? Bool == false)
            #expect(response.code == code)
        }
        let missing = try await client.call("GET", "/api/auth/verify-token")
        #expect(missing.status == 401)
        #expect(missing.code == "NO_TOKEN")
        #expect(missing.json["valid"] as? Bool == false)
    }

    @Test func jwtInfoShowsTheFingerprintAndNoneOfTheSecret() async throws {
        let app = try await TestApp()
        let response = try await app.client().call("GET", "/api/auth/jwt-info")
        #expect(response.status == 200)
        let json = response.json
        #expect(json["algorithm"] as? String == "HS256")
        #expect(json["accessTokenTtlSeconds"] as? Int == 900)
        #expect(json["refreshTokenTtlSeconds"] as? Int == 604_800)
        #expect(json["issuer"] is NSNull && json["audience"] is NSNull)
        #expect(json["secretLength"] as? Int == TestApp.secret.utf8.count)
        #expect(json["secretFingerprint"] as? String == String(Hex.encode(SHA256.hash(Array(TestApp.secret.utf8))).prefix(16)))
        // No run of 8 characters of the secret appears anywhere in the answer.
        let secret = Array(TestApp.secret)
        for start in 0...(secret.count - 8) {
            #expect(!response.text.contains(String(secret[start..<start + 8])))
        }
    }

    private func signedToken(userID: String, email: String, issuedAt: Int, expiresAt: Int) throws -> String {
        AccessTokenJWT(secret: Array(TestApp.secret.utf8)).sign(AccessTokenClaims(
            subject: userID, email: email, role: "CANDIDATE", issuedAt: issuedAt, expiresAt: expiresAt, tokenId: "t", sessionId: UUID().uuidString
        ))
    }
}
