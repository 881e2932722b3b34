import Foundation
import PostgresClient
import Testing
import TestHTTPClient

/// `PATCH /api/auth/me`, `GET /api/auth/me/export`, `DELETE /api/auth/me` (API.md, "Your own account").
@Suite("Your own account", .serialized)
struct OwnAccountTests {
    @Test func profileChangesAreValidatedLikeRegistrationAndNullClears() async throws {
        let app = try await TestApp()
        let client = try app.client()
        let account = try await client.register(extra: ["firstName": "Ada", "lastName": "Lovelace", "company": "Babbage & Co"])
        let changed = try await client.call("PATCH", "/api/auth/me", json: ["name": "  Countess of Lovelace ", "company": NSNull(), "lastName": ""],
                                            token: account.accessToken)
        #expect(changed.status == 200)
        let user = try #require(changed.json["user"] as? [String: Any])
        #expect(user["name"] as? String == "Countess of Lovelace")
        #expect(user["firstName"] as? String == "Ada")
        #expect(user["lastName"] is NSNull && user["company"] is NSNull)
        let me = try await client.call("GET", "/api/auth/me", token: account.accessToken)
        #expect((me.json["user"] as? [String: Any])?["name"] as? String == "Countess of Lovelace")

        for body: [String: any Sendable] in [["name": String(repeating: "n", count: 101)], ["company": String(repeating: "c", count: 201)],
                                             ["firstName": 7], ["email": "new@example.com"], ["role": "ADMIN"], ["isActive": false]] {
            let refused = try await client.call("PATCH", "/api/auth/me", json: body, token: account.accessToken)
            #expect(refused.status == 400 && refused.code == "VALIDATION_FAILED", "\(body)")
        }
        #expect(try await client.call("PATCH", "/api/auth/me", json: ["name": "x"]).status == 401)
        let rows = try await Database.execute("SELECT details->>'fields' AS fields FROM audit_events WHERE user_id = $1::uuid AND type = 'profile.updated'",
                                              [.text(account.id)]).rows
        #expect(try rows.map { try $0.optionalString("fields") } == ["name,lastName,company"])
    }

    @Test func theExportHoldsExactlyTheUsersDataAndNobodyElses() async throws {
        let app = try await TestApp()
        let client = try app.client()
        let account = try await client.register()
        let other = try await client.register()
        #expect(try await client.login(account.email, "not it").status == 401)
        #expect(try await client.login(account.email, account.password).status == 200)
        #expect(try await client.login(other.email, other.password).status == 200)

        let export = try await client.call("GET", "/api/auth/me/export", token: account.accessToken)
        #expect(export.status == 200)
        let disposition = try #require(export.header("Content-Disposition"))
        #expect(disposition.hasPrefix("attachment; filename=\"") && disposition.hasSuffix(".json\""))
        #expect((export.json["user"] as? [String: Any])?["id"] as? String == account.id)
        let sessions = (export.json["sessions"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        let stored = try await Database.execute("SELECT id::text AS id FROM sessions WHERE user_id = $1::uuid", [.text(account.id)]).rows
        #expect(Set(sessions) == Set(try stored.map { try $0.string("id") }) && sessions.count == 2)
        #expect((export.json["identities"] as? [Any])?.isEmpty == true)
        let events = export.json["auditEvents"] as? [[String: Any]] ?? []
        let storedEvents = try await Database.execute("SELECT count(*)::int AS n FROM audit_events WHERE user_id = $1::uuid", [.text(account.id)])
        #expect(events.count == (try storedEvents.rows[0].int("n")))
        #expect(events.allSatisfy { $0["userId"] as? String == account.id })
        #expect(Set(events.compactMap { $0["type"] as? String }) == ["account.registered", "login.failed", "login.succeeded", "account.exported"])
        #expect(!export.text.contains(other.id) && !export.text.contains(other.email))
        #expect(!export.text.contains("$2b$") && !export.text.contains(account.refreshToken) && !export.text.contains(account.password))
    }

    @Test func deletionNeedsThePasswordThenEveryRowOfTheUserIsGoneAndItsTokensDead() async throws {
        let app = try await TestApp(["RATE_LIMIT_STORE": "postgres"])
        let client = try app.client()
        let account = try await client.register()
        let bystander = try await client.register()
        #expect(try await client.login(account.email, "not the password").status == 401)
        #expect(try await client.call("POST", "/api/auth/forgot-password", json: ["email": account.email]).status == 202)
        let sessionIDs = try await Database.execute("SELECT id FROM sessions WHERE user_id = $1::uuid", [.text(account.id)]).rows.map { try $0.uuid("id") }
        #expect(!sessionIDs.isEmpty)
        #expect(try await Database.execute("SELECT 1 FROM email_outbox WHERE user_id = $1::uuid OR recipient = $2",
                                           [.text(account.id), .text(account.email)]).rows.count >= 2)
        #expect(try await Database.execute("SELECT 1 FROM rate_limits WHERE key LIKE '%' || $1", [.text(account.email)]).rows.count >= 2)

        let wrong = try await client.call("DELETE", "/api/auth/me", json: ["password": "not the password"], token: account.accessToken)
        #expect(wrong.status == 401 && wrong.code == "INVALID_CREDENTIALS")
        let missing = try await client.call("DELETE", "/api/auth/me", json: [:], token: account.accessToken)
        #expect(missing.status == 400 && missing.code == "VALIDATION_FAILED")
        #expect(try await client.call("GET", "/api/auth/me", token: account.accessToken).status == 200)

        let deleted = try await client.call("DELETE", "/api/auth/me", json: ["password": account.password], token: account.accessToken)
        #expect(deleted.status == 200 && deleted.json["success"] as? Bool == true)
        let cookie = try #require(deleted.cookie("refreshToken"))
        #expect(cookie.value.isEmpty && cookie.attributes.contains("Max-Age=0"))

        let id = PostgresValue.text(account.id)
        let checks: [(String, [PostgresValue])] = [
            ("SELECT 1 FROM users WHERE id = $1::uuid OR email = $2", [id, .text(account.email)]),
            ("SELECT 1 FROM sessions WHERE user_id = $1::uuid", [id]),
            ("SELECT 1 FROM refresh_tokens WHERE session_id = ANY($1::uuid[])", [.text("{" + sessionIDs.map(\.uuidString).joined(separator: ",") + "}")]),
            ("SELECT 1 FROM email_tokens WHERE user_id = $1::uuid OR email = $2", [id, .text(account.email)]),
            ("SELECT 1 FROM email_outbox WHERE user_id = $1::uuid OR recipient = $2", [id, .text(account.email)]),
            ("SELECT 1 FROM rate_limits WHERE key LIKE '%' || $1 OR key LIKE '%' || $2", [.text(account.email), id]),
            ("SELECT 1 FROM audit_events WHERE user_id = $1::uuid AND (details <> '{}'::jsonb OR ip IS NOT NULL) AND type <> 'account.deleted'", [id]),
        ]
        for (sql, parameters) in checks {
            #expect(try await Database.execute(sql, parameters).rows.isEmpty, "\(sql)")
        }
        let trail = try await Database.execute("SELECT ip, details::text AS details FROM audit_events WHERE user_id = $1::uuid AND type = 'account.deleted'", [id]).rows
        #expect(trail.count == 1)
        #expect(try trail.first?.optionalString("ip") == nil)
        #expect(try trail.first?.string("details") == "{\"via\": \"self\"}")

        #expect(try await client.call("GET", "/api/auth/me", token: account.accessToken).status == 401)
        #expect(try await client.call("POST", "/api/auth/refresh", json: ["refreshToken": account.refreshToken]).status == 401)
        #expect(try await client.login(account.email, account.password).status == 401)
        #expect(try await client.call("GET", "/api/auth/me", token: bystander.accessToken).status == 200)
    }

    @Test func anAccountWithoutAPasswordMustHaveSignedInWithinFiveMinutes() async throws {
        let app = try await TestApp()
        let client = try app.client()
        let account = try await client.register()
        try await Database.execute("UPDATE users SET password_hash = NULL, last_login_at = now() - interval '6 minutes' WHERE id = $1::uuid",
                                   [.text(account.id)])
        let stale = try await client.call("DELETE", "/api/auth/me", json: ["password": "anything"], token: account.accessToken)
        #expect(stale.status == 403 && stale.code == "REAUTHENTICATION_REQUIRED")
        try await Database.execute("UPDATE users SET last_login_at = now() - interval '1 minute' WHERE id = $1::uuid", [.text(account.id)])
        #expect(try await client.call("DELETE", "/api/auth/me", token: account.accessToken).status == 200)
        #expect(try await Database.execute("SELECT 1 FROM users WHERE id = $1::uuid", [.text(account.id)]).rows.isEmpty)
    }
}
