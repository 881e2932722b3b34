import Foundation
import PostgresClient
import Testing
import TestHTTPClient

/// `/api/admin/users...` over real sockets (API.md, "Administration").
/// One test at a time: each holds a server and its pool, and the suite shares PostgreSQL's connections with every other.
@Suite("Admin: users", .serialized)
struct AdminUserTests {
    static let password = "correct horse battery"

    /// Registers `count` accounts whose emails and names carry `tag`, one after another.
    static func accounts(_ count: Int, tag: String, on app: TestApp) async throws -> [Account] {
        var accounts: [Account] = []
        for index in 0..<count {
            accounts.append(try await app.client().register(email: TestApp.uniqueEmail("\(tag)\(index)"),
                                                          extra: ["firstName": "Grace \(tag)", "lastName": "Hopper"]))
        }
        return accounts
    }

    static func ids(_ response: TestHTTPClient.Response) -> [String] {
        (response.json["users"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    @Test func everyAdminRouteRefusesOtherRolesAndMissingTokens() async throws {
        let app = try await TestApp()
        let client = try app.client()
        let candidate = try await client.register()
        let routes = [("GET", "/api/admin/users"), ("GET", "/api/admin/users/\(candidate.id)"), ("PATCH", "/api/admin/users/\(candidate.id)"),
                      ("POST", "/api/admin/users/\(candidate.id)/revoke-sessions"), ("DELETE", "/api/admin/users/\(candidate.id)"),
                      ("GET", "/api/admin/audit")]
        for (method, path) in routes {
            let refused = try await client.call(method, path, json: method == "PATCH" ? ["isActive": false] : nil, token: candidate.accessToken)
            #expect(refused.status == 403, "\(method) \(path)")
            #expect(refused.code == "FORBIDDEN")
            let anonymous = try await client.call(method, path)
            #expect(anonymous.status == 401 && anonymous.code == "NO_TOKEN", "\(method) \(path)")
        }
        // Nothing changed.
        #expect(try await client.call("GET", "/api/auth/me", token: candidate.accessToken).status == 200)
    }

    @Test func anAdminDemotedAfterTheTokenWasIssuedIsRefusedAtOnce() async throws {
        let app = try await TestApp()
        let admin = try await AdminAccount(on: app)
        #expect(try await admin.call("GET", "/api/admin/users?limit=1").status == 200)
        // Demoted behind the server's back: the token still verifies and its session is live,
        // but the role is read from the database.
        try await Database.execute("UPDATE users SET role = 'CANDIDATE' WHERE id = $1::uuid", [.text(admin.id)])
        let refused = try await admin.call("GET", "/api/admin/users?limit=1")
        #expect(refused.status == 403 && refused.code == "FORBIDDEN")
        #expect(try await admin.call("GET", "/api/auth/me").status == 200)

        // Demoted by another admin: every session ends with the role.
        let other = try await AdminAccount(on: app)
        let demoted = try await AdminAccount(on: app).call("PATCH", "/api/admin/users/\(other.id)", json: ["role": "EMPLOYER"])
        #expect(demoted.status == 200)
        #expect(demoted.json["revokedSessions"] as? Int == 1)
        let afterwards = try await other.call("GET", "/api/admin/users?limit=1")
        #expect(afterwards.status == 401 && afterwards.code == "INVALID_TOKEN")
    }

    @Test func searchMatchesASubstringOfTheEmailOrTheNamesCaseInsensitivelyWithFilters() async throws {
        let app = try await TestApp()
        let admin = try await AdminAccount(on: app)
        let tag = "srch\(UUID().uuidString.prefix(6).lowercased())"
        let accounts = try await Self.accounts(3, tag: tag, on: app)
        try await Database.execute("UPDATE users SET role = 'EMPLOYER', is_active = false WHERE id = $1::uuid", [.text(accounts[1].id)])
        let newestFirst = accounts.reversed().map(\.id)

        let byEmail = try await admin.call("GET", "/api/admin/users?query=\(tag.uppercased())")
        #expect(byEmail.status == 200)
        #expect(Self.ids(byEmail) == newestFirst)
        #expect(byEmail.json["nextCursor"] is NSNull)
        // The names hold the tag too ("Grace <tag>"); a phrase across first and last name matches.
        let byName = try await admin.call("GET", "/api/admin/users?query=\("GRACE \(tag) hopper".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
        #expect(Self.ids(byName) == newestFirst)
        let employers = try await admin.call("GET", "/api/admin/users?query=\(tag)&role=EMPLOYER")
        #expect(Self.ids(employers) == [accounts[1].id])
        let active = try await admin.call("GET", "/api/admin/users?query=\(tag)&active=true")
        #expect(Self.ids(active) == [accounts[2].id, accounts[0].id])
        let inactiveCandidates = try await admin.call("GET", "/api/admin/users?query=\(tag)&active=false&role=CANDIDATE")
        #expect(Self.ids(inactiveCandidates).isEmpty)
        // LIKE's wildcards are searched for as characters.
        #expect(Self.ids(try await admin.call("GET", "/api/admin/users?query=\(tag)%25")).isEmpty)
        #expect(Self.ids(try await admin.call("GET", "/api/admin/users?query=_\(tag)")).isEmpty)
        let user = try #require((byEmail.json["users"] as? [[String: Any]])?.first)
        #expect(user["passwordHash"] == nil && user["password_hash"] == nil)
    }

    @Test func pagesNeitherSkipNorRepeatWhileUsersAreInsertedBetweenThem() async throws {
        let app = try await TestApp()
        let admin = try await AdminAccount(on: app)
        let tag = "page\(UUID().uuidString.prefix(6).lowercased())"
        let before = try await Self.accounts(7, tag: tag, on: app)
        var seen: [String] = []
        var cursor: String?
        var pages = 0
        repeat {
            let page = try await admin.call("GET", "/api/admin/users?query=\(tag)&limit=3" + (cursor.map { "&cursor=\($0)" } ?? ""))
            #expect(page.status == 200)
            seen += Self.ids(page)
            cursor = page.json["nextCursor"] as? String
            pages += 1
            // Newer accounts arrive while the admin reads: they belong before the first page.
            _ = try await Self.accounts(2, tag: tag, on: app)
        } while cursor != nil && pages < 10
        #expect(pages == 3)
        #expect(seen == before.reversed().map(\.id))
        let everything = try await admin.call("GET", "/api/admin/users?query=\(tag)&limit=200")
        #expect(Self.ids(everything).count == 7 + 2 * pages)
    }

    @Test func badFiltersLimitsAndCursorsAre400() async throws {
        let app = try await TestApp()
        let admin = try await AdminAccount(on: app)
        let forged = Data("v1:12:not-a-uuid".utf8).base64EncodedString()
        for query in ["limit=0", "limit=201", "limit=ten", "limit=", "role=ROOT", "active=yes", "cursor=garbage", "cursor=\(forged)",
                      "query=\(String(repeating: "a", count: 255))"] {
            let refused = try await admin.call("GET", "/api/admin/users?\(query)")
            #expect(refused.status == 400, "\(query)")
            #expect(refused.code == "VALIDATION_FAILED", "\(query)")
        }
        for query in ["userId=42", "type=no.such.event", "limit=500", "cursor=djE6MTI6YWJj"] {
            let refused = try await admin.call("GET", "/api/admin/audit?\(query)")
            #expect(refused.status == 400 && refused.code == "VALIDATION_FAILED", "\(query)")
        }
        #expect(try await admin.call("GET", "/api/admin/users?limit=200&role=admin&active=true&unknown=1").status == 200)
    }

    @Test func oneUserWithItsLiveSessionCountAndIdentitiesOr404() async throws {
        let app = try await TestApp()
        let admin = try await AdminAccount(on: app)
        let account = try await app.client().register()
        #expect(try await app.client().login(account.email, account.password).status == 200)
        let shown = try await admin.call("GET", "/api/admin/users/\(account.id)")
        #expect(shown.status == 200)
        #expect((shown.json["user"] as? [String: Any])?["email"] as? String == account.email)
        #expect(shown.json["liveSessions"] as? Int == 2)
        #expect((shown.json["identities"] as? [Any])?.isEmpty == true)
        for id in [UUID().uuidString.lowercased(), "not-a-uuid"] {
            for (method, suffix) in [("GET", ""), ("PATCH", ""), ("DELETE", ""), ("POST", "/revoke-sessions")] {
                let missing = try await admin.call(method, "/api/admin/users/\(id)\(suffix)", json: method == "PATCH" ? ["filesUploaded": 1] : nil)
                #expect(missing.status == 404 && missing.code == "USER_NOT_FOUND", "\(method) \(id)\(suffix)")
            }
        }
    }

    @Test func deactivationEndsLiveSessionsAndRefreshAndActivationLetsTheUserBackIn() async throws {
        let app = try await TestApp()
        let admin = try await AdminAccount(on: app)
        let client = try app.client()
        let account = try await client.register()
        let second = try await client.login(account.email, account.password)
        let deactivated = try await admin.call("PATCH", "/api/admin/users/\(account.id)", json: ["isActive": false])
        #expect(deactivated.status == 200)
        #expect((deactivated.json["user"] as? [String: Any])?["isActive"] as? Bool == false)
        #expect(deactivated.json["revokedSessions"] as? Int == 2)
        for token in [account.accessToken, second.json["accessToken"] as! String] {
            #expect(try await client.call("GET", "/api/auth/me", token: token).status == 401)
        }
        #expect(try await client.call("POST", "/api/auth/refresh", json: ["refreshToken": account.refreshToken]).status == 401)
        let login = try await client.login(account.email, account.password)
        #expect(login.status == 403 && login.code == "ACCOUNT_DISABLED")

        let rows = try await Database.execute("""
            SELECT actor_id::text AS actor, details->>'isActive' AS active, details->>'revokedSessions' AS revoked
            FROM audit_events WHERE user_id = $1::uuid AND type = 'account.updated'
            """, [.text(account.id)]).rows
        #expect(rows.count == 1)
        #expect(try rows.first?.optionalString("actor") == admin.id)
        #expect(try rows.first?.optionalString("active") == "false" && rows.first?.optionalString("revoked") == "2")

        #expect(try await admin.call("PATCH", "/api/admin/users/\(account.id)", json: ["isActive": true]).status == 200)
        #expect(try await client.login(account.email, account.password).status == 200)
    }

    @Test func roleAndUploadCountChangesAreValidatedAndARoleChangeEndsSessions() async throws {
        let app = try await TestApp()
        let admin = try await AdminAccount(on: app)
        let client = try app.client()
        let account = try await client.register()
        for body: [String: any Sendable] in [["filesUploaded": -1], ["filesUploaded": 1.5], ["role": "ROOT"], ["isActive": "no"],
                                             ["email": "x@example.com"], [:], ["role": NSNull()]] {
            let refused = try await admin.call("PATCH", "/api/admin/users/\(account.id)", json: body)
            #expect(refused.status == 400 && refused.code == "VALIDATION_FAILED", "\(body)")
        }
        let counted = try await admin.call("PATCH", "/api/admin/users/\(account.id)", json: ["filesUploaded": 4])
        #expect((counted.json["user"] as? [String: Any])?["filesUploaded"] as? Int == 4)
        #expect(counted.json["revokedSessions"] as? Int == 0)
        #expect(try await client.call("GET", "/api/auth/me", token: account.accessToken).status == 200)

        let promoted = try await admin.call("PATCH", "/api/admin/users/\(account.id)", json: ["role": "EMPLOYER"])
        #expect((promoted.json["user"] as? [String: Any])?["role"] as? String == "EMPLOYER")
        #expect(promoted.json["revokedSessions"] as? Int == 1)
        #expect(try await client.call("GET", "/api/auth/me", token: account.accessToken).status == 401)
        #expect(try await client.call("POST", "/api/auth/refresh", json: ["refreshToken": account.refreshToken]).status == 401)
    }

    @Test func anAdminCannotLockThemselvesOut() async throws {
        let app = try await TestApp()
        let admin = try await AdminAccount(on: app)
        for body: [String: any Sendable] in [["isActive": false], ["role": "CANDIDATE"], ["role": "EMPLOYER", "filesUploaded": 1]] {
            let refused = try await admin.call("PATCH", "/api/admin/users/\(admin.id)", json: body)
            #expect(refused.status == 409 && refused.code == "CANNOT_MODIFY_SELF", "\(body)")
        }
        let deleted = try await admin.call("DELETE", "/api/admin/users/\(admin.id)")
        #expect(deleted.status == 409 && deleted.code == "CANNOT_MODIFY_SELF")
        // What does not lock anyone out is allowed.
        #expect(try await admin.call("PATCH", "/api/admin/users/\(admin.id)", json: ["filesUploaded": 2, "role": "ADMIN", "isActive": true]).status == 200)
        #expect(try await admin.call("GET", "/api/admin/users?limit=1").status == 200)
    }

    @Test func revokeSessionsAnswersTheCountAndDeleteRemovesTheAccount() async throws {
        let app = try await TestApp()
        let admin = try await AdminAccount(on: app)
        let client = try app.client()
        let account = try await client.register()
        #expect(try await client.login(account.email, account.password).status == 200)
        let revoked = try await admin.call("POST", "/api/admin/users/\(account.id)/revoke-sessions")
        #expect(revoked.status == 200)
        #expect(revoked.json["success"] as? Bool == true && revoked.json["revoked"] as? Int == 2)
        #expect(try await admin.call("POST", "/api/admin/users/\(account.id)/revoke-sessions").json["revoked"] as? Int == 0)
        #expect(try await client.call("POST", "/api/auth/refresh", json: ["refreshToken": account.refreshToken]).status == 401)

        let deleted = try await admin.call("DELETE", "/api/admin/users/\(account.id)")
        #expect(deleted.status == 200 && deleted.json["success"] as? Bool == true)
        #expect(try await admin.call("GET", "/api/admin/users/\(account.id)").status == 404)
        #expect(try await client.login(account.email, account.password).status == 401)
        let trail = try await Database.execute("""
            SELECT actor_id::text AS actor, details->>'via' AS via FROM audit_events WHERE user_id = $1::uuid AND type = 'account.deleted'
            """, [.text(account.id)]).rows
        #expect(try trail.map { try $0.optionalString("actor") } == [admin.id])
        #expect(try trail.first?.optionalString("via") == "admin")
    }
}
