import Foundation
import Testing
import TestHTTPClient

@Suite("Refresh rotation, reuse detection and logout")
struct RefreshTests {
    private func refresh(_ client: APIClient, body token: String? = nil, cookie: String? = nil) async throws -> TestHTTPClient.Response {
        try await client.call("POST", "/api/auth/refresh", json: token.map { ["refreshToken": $0] },
                        headers: cookie.map { [("Cookie", "theme=dark; refreshToken=\($0)")] } ?? [])
    }

    private func newRefreshToken(_ response: TestHTTPClient.Response) -> String? {
        (response.json["tokens"] as? [String: Any])?["refreshToken"] as? String
    }

    @Test func cookieRefreshRotatesTheToken() async throws {
        let app = try await TestApp()
        let client = try app.client()
        let account = try await client.register()
        let response = try await refresh(client, cookie: account.refreshToken)
        #expect(response.status == 200)
        let successor = try #require(newRefreshToken(response))
        #expect(successor != account.refreshToken)
        #expect(response.cookie("refreshToken")?.value == successor)
        #expect(response.json["accessToken"] is String)
        // The login is the same session: its id survives the rotation.
        let sessions = try await client.call("GET", "/api/auth/sessions", token: response.json["accessToken"] as? String).json["sessions"] as? [[String: Any]]
        #expect(sessions?.count == 1)
        #expect(sessions?.first?["current"] as? Bool == true)
        #expect(try await refresh(client, body: successor).status == 200)
    }

    @Test func theBodysTokenWinsOverTheCookie() async throws {
        let app = try await TestApp()
        let client = try app.client()
        let account = try await client.register()
        let response = try await client.call("POST", "/api/auth/refresh", json: ["refreshToken": account.refreshToken],
                                       headers: [("Cookie", "refreshToken=garbage")])
        #expect(response.status == 200)
    }

    @Test func unknownOrMissingTokenIs401() async throws {
        let app = try await TestApp()
        let client = try app.client()
        for response in [try await refresh(client, body: "x" + String(repeating: "A", count: 42)), try await refresh(client)] {
            #expect(response.status == 401)
            #expect(response.code == "INVALID_REFRESH_TOKEN")
        }
    }

    @Test func concurrentRefreshesWithOneTokenGetTheSameSuccessor() async throws {
        let app = try await TestApp(["DB_POOL_SIZE": "8"])
        let account = try await app.client().register()
        let answers = await concurrently(20) {
            let response = try? await refresh(try app.client(), body: account.refreshToken)
            return (response?.status ?? -1, response.flatMap(newRefreshToken))
        }
        #expect(answers.allSatisfy { $0.0 == 200 })
        #expect(Set(answers.compactMap(\.1)).count == 1)
        // And the shared successor works.
        #expect(try await refresh(try app.client(), body: answers[0].1).status == 200)
    }

    @Test func replayAfterTheGraceWindowRevokesTheWholeLogin() async throws {
        let app = try await TestApp(["REFRESH_REUSE_INTERVAL": "10s"])
        let client = try app.client()
        let account = try await client.register()
        let first = try await refresh(client, body: account.refreshToken)
        let successor = try #require(newRefreshToken(first))
        // Within the window: the same successor again.
        #expect(newRefreshToken(try await refresh(client, body: account.refreshToken)) == successor)
        // The window passes: backdated, not waited for.
        try await Database.execute("UPDATE refresh_tokens SET rotated_at = now() - interval '11 seconds' WHERE token_hash = sha256(convert_to($1, 'UTF8'))",
                                   [.text(account.refreshToken)])
        let stolen = try await refresh(client, body: account.refreshToken)
        #expect(stolen.status == 401)
        #expect(stolen.code == "TOKEN_REUSED")
        // The legitimate holder's successor died with the family.
        let after = try await refresh(client, body: successor)
        #expect(after.status == 401)
        #expect(after.code == "INVALID_REFRESH_TOKEN")
    }

    @Test func expiredTokensAndLoginsPastTheirLifetimeCannotRefresh() async throws {
        let app = try await TestApp()
        let client = try app.client()
        let expiredToken = try await client.register()
        try await Database.execute("UPDATE refresh_tokens SET created_at = now() - interval '2 days', expires_at = now() - interval '1 second' WHERE token_hash = sha256(convert_to($1, 'UTF8'))",
                             [.text(expiredToken.refreshToken)])
        #expect(try await refresh(client, body: expiredToken.refreshToken).code == "INVALID_REFRESH_TOKEN")

        // SESSION_MAX_LIFETIME: the login itself ends, whatever its current token says.
        let oldLogin = try await client.register()
        try await Database.execute("UPDATE sessions SET created_at = now() - interval '31 days', expires_at = now() - interval '1 second' WHERE user_id = $1::uuid",
                             [.text(oldLogin.id)])
        #expect(try await refresh(client, body: oldLogin.refreshToken).code == "INVALID_REFRESH_TOKEN")
    }

    @Test func logoutRevokesTheSessionAndClearsTheCookie() async throws {
        let app = try await TestApp()
        let client = try app.client()
        let account = try await client.register()
        let logout = try await client.call("POST", "/api/auth/logout", headers: [("Cookie", "refreshToken=\(account.refreshToken)")])
        #expect(logout.status == 200)
        let cleared = try #require(logout.cookie("refreshToken"))
        #expect(cleared.value.isEmpty)
        #expect(cleared.attributes.contains("Max-Age=0"))
        #expect(try await refresh(client, body: account.refreshToken).code == "INVALID_REFRESH_TOKEN")
        // Unknown tokens log out just as well.
        #expect(try await client.call("POST", "/api/auth/logout", json: ["refreshToken": "nope"]).status == 200)
    }

    @Test func logoutEverywhereNeedsAnAccessTokenAndRevokesEverySession() async throws {
        let app = try await TestApp()
        let client = try app.client()
        let account = try await client.register()
        let second = try await client.login(account.email, account.password)
        let secondRefresh = try #require(newRefreshToken(second))

        let refused = try await client.call("POST", "/api/auth/logout", json: ["allDevices": true])
        #expect(refused.status == 401)
        #expect(refused.code == "NO_TOKEN")

        let done = try await client.call("POST", "/api/auth/logout", json: ["allDevices": true], token: account.accessToken)
        #expect(done.status == 200)
        #expect(try await refresh(client, body: account.refreshToken).status == 401)
        #expect(try await refresh(client, body: secondRefresh).status == 401)
    }

    /// Frontends test their expiry handling with lifetimes of seconds: a 2-second refresh token
    /// is accepted as a setting and really stops refreshing once its time is up.
    @Test func aTwoSecondRefreshTokenReallyExpires() async throws {
        let app = try await TestApp(["REFRESH_TOKEN_TTL": "2s"])
        let client = try app.client()
        let account = try await client.register()
        #expect(account.response.cookie("refreshToken")?.attributes.contains("Max-Age=2") == true)
        let lifetime = try await Database.execute("""
            SELECT extract(epoch FROM expires_at - created_at)::float8 AS seconds FROM refresh_tokens
            WHERE token_hash = sha256(convert_to($1, 'UTF8'))
            """, [.text(account.refreshToken)])
        #expect(abs(try lifetime.rows[0].double("seconds") - 2) < 0.5)
        // Wait on the database's clock, which decides, with a deadline.
        let deadline = Date() + 10
        var expired = false
        while !expired && Date() < deadline {
            expired = try await Database.execute("""
                SELECT expires_at <= now() AS expired FROM refresh_tokens WHERE token_hash = sha256(convert_to($1, 'UTF8'))
                """, [.text(account.refreshToken)]).rows[0].bool("expired")
            if !expired { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(expired)
        let refused = try await refresh(client, body: account.refreshToken)
        #expect(refused.status == 401)
        #expect(refused.code == "INVALID_REFRESH_TOKEN")
    }
}
