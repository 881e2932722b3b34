import Foundation
import Testing
import TestHTTPClient

@Suite("Refresh rotation, reuse detection and logout")
struct RefreshTests {
    private func refresh(_ client: APIClient, body token: String? = nil, cookie: String? = nil) throws -> TestHTTPClient.Response {
        try client.call("POST", "/api/auth/refresh", json: token.map { ["refreshToken": $0] },
                        headers: cookie.map { [("Cookie", "theme=dark; refreshToken=\($0)")] } ?? [])
    }

    private func newRefreshToken(_ response: TestHTTPClient.Response) -> String? {
        (response.json["tokens"] as? [String: Any])?["refreshToken"] as? String
    }

    @Test func cookieRefreshRotatesTheToken() throws {
        let app = try TestApp()
        let client = try app.client()
        let account = try client.register()
        let response = try refresh(client, cookie: account.refreshToken)
        #expect(response.status == 200)
        let successor = try #require(newRefreshToken(response))
        #expect(successor != account.refreshToken)
        #expect(response.cookie("refreshToken")?.value == successor)
        #expect(response.json["accessToken"] is String)
        // The login is the same session: its id survives the rotation.
        let sessions = try client.call("GET", "/api/auth/sessions", token: response.json["accessToken"] as? String).json["sessions"] as? [[String: Any]]
        #expect(sessions?.count == 1)
        #expect(sessions?.first?["current"] as? Bool == true)
        #expect(try refresh(client, body: successor).status == 200)
    }

    @Test func theBodysTokenWinsOverTheCookie() throws {
        let app = try TestApp()
        let client = try app.client()
        let account = try client.register()
        let response = try client.call("POST", "/api/auth/refresh", json: ["refreshToken": account.refreshToken],
                                       headers: [("Cookie", "refreshToken=garbage")])
        #expect(response.status == 200)
    }

    @Test func unknownOrMissingTokenIs401() throws {
        let app = try TestApp()
        let client = try app.client()
        for response in [try refresh(client, body: "x" + String(repeating: "A", count: 42)), try refresh(client)] {
            #expect(response.status == 401)
            #expect(response.code == "INVALID_REFRESH_TOKEN")
        }
    }

    @Test func concurrentRefreshesWithOneTokenGetTheSameSuccessor() throws {
        let app = try TestApp(["DB_POOL_SIZE": "8"])
        let account = try app.client().register()
        let answers = Locked<[(Int, String?)]>([])
        DispatchQueue.concurrentPerform(iterations: 20) { _ in
            let response = try? refresh(try app.client(), body: account.refreshToken)
            answers.mutate { $0.append((response?.status ?? -1, response.flatMap(newRefreshToken))) }
        }
        #expect(answers.value.allSatisfy { $0.0 == 200 })
        #expect(Set(answers.value.compactMap(\.1)).count == 1)
        // And the shared successor works.
        #expect(try refresh(try app.client(), body: answers.value[0].1).status == 200)
    }

    @Test func replayAfterTheGraceWindowRevokesTheWholeLogin() throws {
        let app = try TestApp(["REFRESH_REUSE_INTERVAL": "1s"])
        let client = try app.client()
        let account = try client.register()
        let first = try refresh(client, body: account.refreshToken)
        let successor = try #require(newRefreshToken(first))
        // Within the window: the same successor again.
        #expect(newRefreshToken(try refresh(client, body: account.refreshToken)) == successor)
        Thread.sleep(forTimeInterval: 2.2)
        let stolen = try refresh(client, body: account.refreshToken)
        #expect(stolen.status == 401)
        #expect(stolen.code == "TOKEN_REUSED")
        // The legitimate holder's successor died with the family.
        let after = try refresh(client, body: successor)
        #expect(after.status == 401)
        #expect(after.code == "INVALID_REFRESH_TOKEN")
    }

    @Test func expiredTokensAndLoginsPastTheirLifetimeCannotRefresh() throws {
        let app = try TestApp()
        let client = try app.client()
        let expiredToken = try client.register()
        try Database.execute("UPDATE refresh_tokens SET created_at = now() - interval '2 days', expires_at = now() - interval '1 second' WHERE token_hash = sha256(convert_to($1, 'UTF8'))",
                             [.text(expiredToken.refreshToken)])
        #expect(try refresh(client, body: expiredToken.refreshToken).code == "INVALID_REFRESH_TOKEN")

        // SESSION_MAX_LIFETIME: the login itself ends, whatever its current token says.
        let oldLogin = try client.register()
        try Database.execute("UPDATE sessions SET created_at = now() - interval '31 days', expires_at = now() - interval '1 second' WHERE user_id = $1::uuid",
                             [.text(oldLogin.id)])
        #expect(try refresh(client, body: oldLogin.refreshToken).code == "INVALID_REFRESH_TOKEN")
    }

    @Test func logoutRevokesTheSessionAndClearsTheCookie() throws {
        let app = try TestApp()
        let client = try app.client()
        let account = try client.register()
        let logout = try client.call("POST", "/api/auth/logout", headers: [("Cookie", "refreshToken=\(account.refreshToken)")])
        #expect(logout.status == 200)
        let cleared = try #require(logout.cookie("refreshToken"))
        #expect(cleared.value.isEmpty)
        #expect(cleared.attributes.contains("Max-Age=0"))
        #expect(try refresh(client, body: account.refreshToken).code == "INVALID_REFRESH_TOKEN")
        // Unknown tokens log out just as well.
        #expect(try client.call("POST", "/api/auth/logout", json: ["refreshToken": "nope"]).status == 200)
    }

    @Test func logoutEverywhereNeedsAnAccessTokenAndRevokesEverySession() throws {
        let app = try TestApp()
        let client = try app.client()
        let account = try client.register()
        let second = try client.login(account.email, account.password)
        let secondRefresh = try #require(newRefreshToken(second))

        let refused = try client.call("POST", "/api/auth/logout", json: ["allDevices": true])
        #expect(refused.status == 401)
        #expect(refused.code == "NO_TOKEN")

        let done = try client.call("POST", "/api/auth/logout", json: ["allDevices": true], token: account.accessToken)
        #expect(done.status == 200)
        #expect(try refresh(client, body: account.refreshToken).status == 401)
        #expect(try refresh(client, body: secondRefresh).status == 401)
    }
}
