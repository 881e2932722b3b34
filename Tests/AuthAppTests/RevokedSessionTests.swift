import Foundation
import Testing
import TestHTTPClient

/// Routes that read the database check the token's session and read the role from the row;
/// verify-token checks the token alone and accepts it until it expires (API.md).
@Suite("Revoked sessions and demoted admins on database routes")
struct RevokedSessionTests {
    @Test func aRevokedSessionsAccessTokenIsRefusedOnEveryDatabaseRouteButVerifyTokenAcceptsIt() async throws {
        let app = try await TestApp()
        let client = try app.client()
        let account = try await client.register()
        let sessionID = try #require(try await client.call("GET", "/api/auth/sessions", token: account.accessToken)
            .json["sessions"] as? [[String: Any]])[0]["id"] as? String
        #expect(try await client.call("POST", "/api/auth/logout", json: ["refreshToken": account.refreshToken]).status == 200)

        let calls: [(String, String, [String: any Sendable]?)] = [
            ("GET", "/api/auth/me", nil), ("GET", "/api/auth/profile", nil), ("GET", "/api/auth/sessions", nil),
            ("DELETE", "/api/auth/sessions/\(sessionID ?? "")", nil), ("GET", "/api/auth/user-uploads", nil),
            ("POST", "/api/auth/increment-upload", nil), ("GET", "/api/auth/upload-stats", nil),
            ("POST", "/api/auth/change-password", ["currentPassword": account.password, "newPassword": "a thief's passphrase"]),
            ("POST", "/api/auth/logout", ["allDevices": true]),
        ]
        for (method, path, body) in calls {
            let refused = try await client.call(method, path, json: body, token: account.accessToken)
            #expect(refused.status == 401, "\(method) \(path)")
            #expect(refused.code == "INVALID_TOKEN", "\(method) \(path)")
        }
        let uploads = try await Database.execute("SELECT files_uploaded FROM users WHERE id = $1::uuid", [.text(account.id)])
        #expect(try uploads.rows[0].int("files_uploaded") == 0)
        #expect(try await client.login(account.email, account.password).status == 200)

        let verified = try await client.call("GET", "/api/auth/verify-token", token: account.accessToken)
        #expect(verified.status == 200)
        #expect(verified.json["valid"] as? Bool == true)
    }

    @Test func aDemotedAdminsTokenIsRefusedOnUploadStatsThoughItStillSaysADMIN() async throws {
        let app = try await TestApp()
        let client = try app.client()
        let email = TestApp.uniqueEmail("demoted")
        _ = try await app.app.createAdmin(email: email, password: "admin passphrase")
        let admin = try await client.login(email, "admin passphrase")
        let token = try #require(admin.json["accessToken"] as? String)
        #expect(try await client.call("GET", "/api/auth/upload-stats", token: token).status == 200)

        // Demoted in the database; the session lives on, the token still claims ADMIN.
        try await Database.execute("UPDATE users SET role = 'CANDIDATE' WHERE email = $1", [.text(email)])
        let refused = try await client.call("GET", "/api/auth/upload-stats", token: token)
        #expect(refused.status == 403)
        #expect(refused.code == "FORBIDDEN")
        let verified = try await client.call("GET", "/api/auth/verify-token", token: token)
        #expect((verified.json["user"] as? [String: Any])?["role"] as? String == "ADMIN")
    }
}
