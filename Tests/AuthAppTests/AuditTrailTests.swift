import Foundation
import PostgresClient
import Testing

@Suite("The audit trail")
struct AuditTrailTests {
    @Test func securityEventsAreRowsWithUserIPAndRequestIdAndNoSecret() async throws {
        let app = try await TestApp()
        let client = try app.client()
        let account = try await client.register()
        #expect(try await client.login(account.email, "not the password", headers: [("X-Request-Id", "audit-probe-1")]).status == 401)
        #expect(try await client.login(account.email, account.password).status == 200)
        let changed = try await client.call("POST", "/api/auth/change-password", json: [
            "currentPassword": account.password, "newPassword": "a brand new passphrase",
        ], token: account.accessToken)
        #expect(changed.status == 200)

        let rows = try await Database.execute("""
            SELECT type, ip, request_id, details::text AS details FROM audit_events WHERE user_id = $1::uuid ORDER BY id
            """, [.text(account.id)]).rows
        #expect(try rows.map { try $0.string("type") } == ["account.registered", "login.failed", "login.succeeded", "password.changed"])
        #expect(try rows.allSatisfy { try $0.optionalString("ip") == "127.0.0.1" })
        #expect(try rows[1].optionalString("request_id") == "audit-probe-1")
        #expect(try rows[1].string("details").contains("wrong password"))
        for row in rows {
            let details = try row.string("details")
            #expect(!details.contains(account.password) && !details.contains("a brand new passphrase") && !details.contains("$2b$"))
        }
    }

    /// A second tab inside the grace window and a thief inside it look alike: every replay
    /// leaves a row with the client's IP and user agent.
    @Test func aGraceWindowReplayLeavesAnAuditRowWithIPAndUserAgent() async throws {
        let app = try await TestApp(["REFRESH_REUSE_INTERVAL": "10s", "TRUST_PROXY": "loopback"])
        let client = try app.client()
        let account = try await client.register()
        let first = try await client.call("POST", "/api/auth/refresh", json: ["refreshToken": account.refreshToken],
                                          headers: [("User-Agent", "TabOne/1.0")])
        #expect(first.status == 200)
        let replay = try await client.call("POST", "/api/auth/refresh", json: ["refreshToken": account.refreshToken],
                                           headers: [("User-Agent", "Elsewhere/6.6"), ("X-Forwarded-For", "203.0.113.66"),
                                                     ("X-Request-Id", "replay-probe-1")])
        #expect(replay.status == 200)
        let rows = try await Database.execute("""
            SELECT ip, request_id, details->>'userAgent' AS user_agent, details->>'sessionId' AS session FROM audit_events
            WHERE user_id = $1::uuid AND type = 'refresh.replayed_within_window'
            """, [.text(account.id)]).rows
        #expect(rows.count == 1)
        let row = try #require(rows.first)
        #expect(try row.optionalString("ip") == "203.0.113.66")
        #expect(try row.optionalString("user_agent") == "Elsewhere/6.6")
        #expect(try row.optionalString("request_id") == "replay-probe-1")
        #expect(try row.optionalString("session") != nil)
    }
}
