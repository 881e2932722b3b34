import Foundation
import Testing
import TestHTTPClient

/// The refresh cookie makes refresh and logout reachable by a cross-site form: a request that
/// says it comes from elsewhere is refused there before anything changes.
@Suite("Cookie-carrying routes refuse foreign origins")
struct OriginCheckTests {
    private func tokenState(_ refreshToken: String) async throws -> (rotated: Bool, sessionRevoked: Bool) {
        let row = try await Database.execute("""
            SELECT t.rotated_at IS NOT NULL AS rotated, s.revoked_at IS NOT NULL AS revoked
            FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id WHERE t.token_hash = sha256(convert_to($1, 'UTF8'))
            """, [.text(refreshToken)]).rows[0]
        return (try row.bool("rotated"), try row.bool("revoked"))
    }

    @Test func refreshAndLogoutFromAForeignOriginAre403BeforeAnythingChanges() async throws {
        let app = try await TestApp(["CORS_ORIGINS": "https://app.example.com", "PUBLIC_URL": "https://auth.example.com/"])
        let client = try app.client()
        let account = try await client.register()
        let cookie = ("Cookie", "refreshToken=\(account.refreshToken)")
        let foreign: [[(String, String)]] = [
            [("Origin", "https://evil.example")], [("Origin", "null")], [("Origin", "https://app.example.com.evil.example")],
            [("Origin", "http://app.example.com")], [("Sec-Fetch-Site", "cross-site")],
        ]
        for path in ["/api/auth/refresh", "/api/auth/logout"] {
            for headers in foreign {
                let refused = try await client.call("POST", path, headers: [cookie] + headers)
                #expect(refused.status == 403, "\(path) \(headers)")
                #expect(refused.code == "ORIGIN_NOT_ALLOWED", "\(path) \(headers)")
                #expect(refused.cookie("refreshToken") == nil)
            }
        }
        let state = try await tokenState(account.refreshToken)
        #expect(!state.rotated && !state.sessionRevoked)
    }

    @Test func allowedFrontendsThisServerAndClientsWithoutAnOriginPass() async throws {
        let app = try await TestApp(["CORS_ORIGINS": "https://app.example.com", "PUBLIC_URL": "https://auth.example.com/"])
        let client = try app.client()
        var token = try await client.register().refreshToken
        for headers in [[("Origin", "https://app.example.com"), ("Sec-Fetch-Site", "cross-site")], [("Origin", "https://auth.example.com")],
                        [("Sec-Fetch-Site", "same-origin")], []] {
            let refreshed = try await client.call("POST", "/api/auth/refresh", headers: [("Cookie", "refreshToken=\(token)")] + headers)
            #expect(refreshed.status == 200, "\(headers)")
            token = try #require((refreshed.json["tokens"] as? [String: Any])?["refreshToken"] as? String)
        }
        let logout = try await client.call("POST", "/api/auth/logout", headers: [("Cookie", "refreshToken=\(token)"), ("Origin", "https://app.example.com")])
        #expect(logout.status == 200)
        #expect(try await tokenState(token).sessionRevoked)
    }
}
