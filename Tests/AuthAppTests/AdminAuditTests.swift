import AuthApp
import Foundation
import PostgresClient
import Testing
import TestHTTPClient

/// `GET /api/admin/audit` and `AUDIT_RETENTION`.
@Suite("Admin: the audit trail", .serialized)
struct AdminAuditTests {
    static func events(_ response: TestHTTPClient.Response) -> [[String: Any]] {
        response.json["events"] as? [[String: Any]] ?? []
    }

    @Test func eventsFilteredByUserAndTypeNewestFirstPageByPage() async throws {
        let app = try await TestApp()
        let admin = try await AdminAccount(on: app)
        let client = try app.client()
        let account = try await client.register()
        for attempt in 0..<3 {
            #expect(try await client.login(account.email, "wrong \(attempt)", headers: [("X-Request-Id", "audit-page-\(attempt)")]).status == 401)
        }
        #expect(try await admin.call("POST", "/api/admin/users/\(account.id)/revoke-sessions").status == 200)

        let all = try await admin.call("GET", "/api/admin/audit?userId=\(account.id)")
        #expect(all.status == 200)
        #expect(Self.events(all).map { $0["type"] as? String } == ["session.revoked_all", "login.failed", "login.failed", "login.failed", "account.registered"])
        let revocation = try #require(Self.events(all).first)
        #expect(revocation["userId"] as? String == account.id)
        #expect(revocation["actorId"] as? String == admin.id)
        #expect(revocation["ip"] as? String == "127.0.0.1")
        #expect(revocation["createdAt"] is String && revocation["id"] is Int && revocation["requestId"] is String)
        #expect((revocation["details"] as? [String: Any])?["revokedSessions"] as? String == "1")

        var requestIDs: [String] = []
        var cursor: String?
        repeat {
            let page = try await admin.call("GET", "/api/admin/audit?userId=\(account.id)&type=login.failed&limit=1" + (cursor.map { "&cursor=\($0)" } ?? ""))
            #expect(page.status == 200)
            #expect(Self.events(page).count <= 1)
            requestIDs += Self.events(page).compactMap { $0["requestId"] as? String }
            cursor = page.json["nextCursor"] as? String
        } while cursor != nil && requestIDs.count < 10
        #expect(requestIDs == ["audit-page-2", "audit-page-1", "audit-page-0"])
        // The admin's own events are theirs, and the trail holds no secret.
        let text = all.text
        #expect(!text.contains("wrong 0") && !text.contains("$2b$") && !text.contains(account.refreshToken))
    }

    @Test func rowsPastTheRetentionAreDeletedInBatchesAndNewerOnesKept() async throws {
        let subject = UUID()
        // Over two batches' worth of old rows, and one within the retention.
        try await Database.execute("""
            INSERT INTO audit_events (type, user_id, created_at) SELECT 'test.retention', $1::uuid, now() - interval '3 days' - i * interval '1 second'
            FROM generate_series(1, 2500) AS i
            """, [.uuid(subject)])
        try await Database.execute("INSERT INTO audit_events (type, user_id, created_at) VALUES ('test.retention', $1::uuid, now() - interval '1 day')",
                                   [.uuid(subject)])
        let app = try await TestApp(["AUDIT_RETENTION": "2d"])
        let deadline = Date().addingTimeInterval(15)
        var remaining = -1
        while Date() < deadline {
            remaining = try await Database.execute("SELECT count(*)::int AS n FROM audit_events WHERE user_id = $1", [.uuid(subject)]).rows[0].int("n")
            if remaining == 1 { break }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        #expect(remaining == 1)
        _ = app
    }

    @Test func auditRetentionIsAPositiveDuration() throws {
        #expect(try AppConfiguration { _ in nil }.auditRetention == 90 * 86400)
        #expect(try AppConfiguration { $0 == "AUDIT_RETENTION" ? "36h" : nil }.auditRetention == 36 * 3600)
        for bad in ["0", "-1d", "soon"] {
            #expect(throws: ConfigurationError.self) { try AppConfiguration { $0 == "AUDIT_RETENTION" ? bad : nil } }
        }
    }
}
