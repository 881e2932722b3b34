import AuthCrypto
import Foundation
import Testing
import TestHTTPClient
@testable import AuthApp

/// Within the grace window a rotated token is answered with its successor again, derived from
/// it. The key is `SERVER_SECRET`'s: partner services hold the JWT secret, and with it and one
/// refresh token must not be able to compute the next.
@Suite("Refresh successors come from SERVER_SECRET")
struct RefreshSuccessorTests {
    private static let jwtSecret = Array(TestApp.secret.utf8)

    private func issuer(serverSecret: String) -> TokenIssuer {
        TokenIssuer(jwt: AccessTokenJWT(secret: Self.jwtSecret), serverSecret: Array(serverSecret.utf8), accessTokenTTL: 900)
    }

    /// What someone holding the JWT secret alone could compute: the derivation of before, and the plain MAC.
    private func partnerGuesses(for token: String) -> [String] {
        let derivedKey = HMACSHA256.authenticate(message: Array("authserver refresh-token successor v1".utf8), key: Self.jwtSecret)
        return [
            Base64URL.encode(HMACSHA256(key: derivedKey).authenticate(Array(token.utf8))),
            Base64URL.encode(HMACSHA256.authenticate(message: Array(token.utf8), key: Self.jwtSecret)),
        ]
    }

    @Test func twoServersWithOneJWTSecretAndDifferentServerSecretsDeriveDifferentSuccessors() {
        let token = TokenIssuer.newRefreshToken()
        let first = issuer(serverSecret: "server-secret-of-the-first-deployment-0123")
        let second = issuer(serverSecret: "server-secret-of-the-second-deployment-012")
        #expect(first.successor(of: token) != second.successor(of: token))
        #expect(first.successor(of: token) == issuer(serverSecret: "server-secret-of-the-first-deployment-0123").successor(of: token))
        for guess in partnerGuesses(for: token) {
            #expect(guess != first.successor(of: token))
        }
    }

    @Test func aPartnerHoldingOnlyTheJWTSecretCannotDeriveTheSuccessorTheServerIssues() async throws {
        let app = try await TestApp()
        let client = try app.client()
        let account = try await client.register()
        let rotated = try await client.call("POST", "/api/auth/refresh", json: ["refreshToken": account.refreshToken])
        let successor = try #require((rotated.json["tokens"] as? [String: Any])?["refreshToken"] as? String)
        for guess in partnerGuesses(for: account.refreshToken) {
            #expect(guess != successor)
        }
    }

    /// An instance whose SERVER_SECRET differs derives another successor than the one the login
    /// holds: it must refuse, never hand out a token that exists nowhere.
    @Test func anInstanceWithAnotherServerSecretNeverHandsOutASuccessorTheLoginDoesNotHold() async throws {
        let first = try await TestApp(["SERVER_SECRET": "server-secret-of-the-first-deployment-0123"])
        let second = try await TestApp(["SERVER_SECRET": "server-secret-of-the-second-deployment-012"])
        let account = try await first.client().register()
        let rotated = try await first.client().call("POST", "/api/auth/refresh", json: ["refreshToken": account.refreshToken])
        #expect(rotated.status == 200)
        let replayed = try await second.client().call("POST", "/api/auth/refresh", json: ["refreshToken": account.refreshToken])
        #expect(replayed.status == 401)
        #expect(replayed.code == "INVALID_REFRESH_TOKEN")
        // The login itself is unharmed: its holder refreshes on the right instance.
        let successor = try #require((rotated.json["tokens"] as? [String: Any])?["refreshToken"] as? String)
        #expect(try await first.client().call("POST", "/api/auth/refresh", json: ["refreshToken": successor]).status == 200)
    }
}
