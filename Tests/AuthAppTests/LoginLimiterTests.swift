import Foundation
import PostgresClient
import Testing
import TestHTTPClient

@Suite("Failed-login limits: increment then compare, bounded keys")
struct LoginLimiterTests {
    /// An address of this test's own, so counts other tests (or runs) left in a shared store never matter.
    private static func uniqueClient() -> (String, String) {
        ("X-Forwarded-For", "198.18.\(Int.random(in: 0...255)).\(Int.random(in: 1...254))")
    }

    @Test func concurrentWrongPasswordsFromOneClientNeverPassItsLimit() async throws {
        let app = try await TestApp(["LOGIN_MAX_FAILURES": "3"])
        let account = try await app.client().register()
        let statuses = await concurrently(20) {
            (try? await app.client().login(account.email, "not the password").status) ?? -1
        }
        #expect(statuses.filter { $0 == 401 }.count == 3)
        #expect(statuses.filter { $0 == 429 }.count == 17)
    }

    @Test func concurrentWrongPasswordsAgainstOneAccountNeverPassItsLimit() async throws {
        let app = try await TestApp(["ACCOUNT_MAX_FAILURES": "3", "TRUST_PROXY": "loopback"])
        let account = try await app.client().register()
        let statuses = await concurrently(20) {
            (try? await app.client().login(account.email, "not the password", headers: [Self.uniqueClient()]).status) ?? -1
        }
        #expect(statuses.filter { $0 == 401 }.count == 3)
        #expect(statuses.filter { $0 == 429 }.count == 17)
    }

    /// Two instances on one database with the shared store: the limit holds across both.
    @Test func concurrentWrongPasswordsOnTwoInstancesSharingPostgresNeverPassTheLimit() async throws {
        let settings = ["RATE_LIMIT_STORE": "postgres", "ACCOUNT_MAX_FAILURES": "3", "TRUST_PROXY": "loopback"]
        let first = try await TestApp(settings)
        let second = try await TestApp(settings)
        let account = try await first.client().register()
        let instances = [first, second]
        let statuses = await withTaskGroup(of: Int.self) { group in
            for index in 0..<20 {
                group.addTask {
                    (try? await instances[index % 2].client().login(account.email, "not the password", headers: [Self.uniqueClient()]).status) ?? -1
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses.filter { $0 == 401 }.count == 3)
        #expect(statuses.filter { $0 == 429 }.count == 17)
    }

    @Test func wrongCurrentPasswordsOnChangePasswordCountAgainstTheAccount() async throws {
        let app = try await TestApp(["ACCOUNT_MAX_FAILURES": "3", "TRUST_PROXY": "loopback"])
        let client = try app.client()
        let account = try await client.register()
        for _ in 0..<3 {
            let wrong = try await client.call("POST", "/api/auth/change-password", json: [
                "currentPassword": "a guessed password", "newPassword": "the thief's own password",
            ], token: account.accessToken)
            #expect(wrong.status == 401)
        }
        let limited = try await client.call("POST", "/api/auth/change-password", json: [
            "currentPassword": account.password, "newPassword": "the thief's own password",
        ], token: account.accessToken)
        #expect(limited.status == 429)
        #expect(limited.code == "TOO_MANY_ATTEMPTS")
        // The same account budget as logins: the guesses locked the account's logins too.
        #expect(try await client.login(account.email, account.password, headers: [Self.uniqueClient()]).status == 429)
    }

    @Test(arguments: ["memory", "postgres"])
    func anEmailOver254CharactersIsRefusedBeforeAnyLimiterOrQuery(store: String) async throws {
        let app = try await TestApp(["RATE_LIMIT_STORE": store, "LOGIN_MAX_FAILURES": "2", "TRUST_PROXY": "loopback"])
        let client = try app.client()
        let account = try await client.register()
        let clientIP = Self.uniqueClient()
        let huge = String(repeating: "a", count: 3000) + "@example.com"
        for _ in 0..<3 {
            let refused = try await client.login(huge, "not the password", headers: [clientIP])
            #expect(refused.status == 400)
            #expect(refused.code == "VALIDATION_FAILED")
            #expect((refused.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "email")
        }
        let justOver = String(repeating: "b", count: 243) + "@example.com"
        #expect(justOver.utf8.count == 255)
        #expect(try await client.login(justOver, "not the password", headers: [clientIP]).status == 400)
        // None of them was counted: this client still has its two failures to spend.
        #expect(try await client.login(account.email, "not the password", headers: [clientIP]).status == 401)
        #expect(try await client.login(account.email, "not the password", headers: [clientIP]).status == 401)
        #expect(try await client.login(account.email, account.password, headers: [clientIP]).status == 429)
        let register = try await client.call("POST", "/api/auth/register", json: ["email": huge, "password": "correct horse battery"])
        #expect(register.status == 400)
        if store == "postgres" {
            let stored = try await Database.execute("SELECT count(*)::int AS n FROM rate_limits WHERE length(key) > 300")
            #expect(try stored.rows[0].int("n") == 0)
        }
    }
}
