import Foundation
import Testing

@Suite("Sessions, profile and password change")
struct SessionTests {
    @Test func listsOnlyTheCallersLiveSessionsAndRevokesOne() async throws {
        let app = try await TestApp()
        let client = try app.client()
        let account = try await client.register()
        let other = try await client.login(account.email, account.password)
        let list = try await client.call("GET", "/api/auth/sessions", token: account.accessToken)
        #expect(list.status == 200)
        let sessions = try #require(list.json["sessions"] as? [[String: Any]])
        #expect(sessions.count == 2)
        #expect(sessions.filter { $0["current"] as? Bool == true }.count == 1)
        for session in sessions {
            #expect(Set(session.keys) == ["id", "userAgent", "ip", "createdAt", "lastUsedAt", "expiresAt", "current"])
        }
        let otherID = try #require(sessions.first { $0["current"] as? Bool == false }?["id"] as? String)

        let stranger = try await client.register()
        #expect(try await client.call("DELETE", "/api/auth/sessions/\(otherID)", token: stranger.accessToken).status == 404)
        #expect(try await client.call("DELETE", "/api/auth/sessions/not-a-uuid", token: account.accessToken).status == 404)
        #expect(try await client.call("DELETE", "/api/auth/sessions/\(otherID)", token: account.accessToken).status == 200)
        let otherRefresh = (other.json["tokens"] as? [String: Any])?["refreshToken"] as? String ?? ""
        #expect(try await client.call("POST", "/api/auth/refresh", json: ["refreshToken": otherRefresh]).status == 401)
        #expect((try await client.call("GET", "/api/auth/sessions", token: account.accessToken).json["sessions"] as? [Any])?.count == 1)
    }

    @Test func meAndProfileAnswerTheUser() async throws {
        let app = try await TestApp()
        let client = try app.client()
        let account = try await client.register(extra: ["name": "Grace Hopper"])
        for path in ["/api/auth/me", "/api/auth/profile"] {
            let response = try await client.call("GET", path, token: account.accessToken)
            #expect(response.status == 200)
            let user = try #require(response.json["user"] as? [String: Any])
            #expect(user["email"] as? String == account.email)
            #expect(user["name"] as? String == "Grace Hopper")
        }
    }

    @Test func changingThePasswordKeepsThisSessionAndEndsTheOthers() async throws {
        let app = try await TestApp()
        let client = try app.client()
        let account = try await client.register()
        let other = try await client.login(account.email, account.password)
        let otherRefresh = (other.json["tokens"] as? [String: Any])?["refreshToken"] as? String ?? ""

        let wrong = try await client.call("POST", "/api/auth/change-password", json: ["currentPassword": "nope nope", "newPassword": "a new passphrase"], token: account.accessToken)
        #expect(wrong.status == 401)
        #expect(wrong.code == "INVALID_CREDENTIALS")
        let weak = try await client.call("POST", "/api/auth/change-password", json: ["currentPassword": account.password, "newPassword": "short"], token: account.accessToken)
        #expect(weak.status == 400)

        let changed = try await client.call("POST", "/api/auth/change-password", json: ["currentPassword": account.password, "newPassword": "a new passphrase"], token: account.accessToken)
        #expect(changed.status == 200)
        #expect(try await client.call("POST", "/api/auth/refresh", json: ["refreshToken": otherRefresh]).status == 401)
        #expect(try await client.call("POST", "/api/auth/refresh", json: ["refreshToken": account.refreshToken]).status == 200)
        #expect(try await client.login(account.email, account.password).status == 401)
        #expect(try await client.login(account.email, "a new passphrase").status == 200)
    }
}
