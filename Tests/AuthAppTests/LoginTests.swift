import Foundation
import PostgresClient
import Testing
import TestHTTPClient

@Suite("POST /api/auth/login")
struct LoginTests {
    @Test func correctPasswordStartsASessionAndRecordsTheLogin() async throws {
        let app = try await TestApp()
        let client = try app.client()
        let account = try await client.register()
        let response = try await client.login(account.email.uppercased(), account.password, headers: [("User-Agent", "LoginTests/1.0")])
        #expect(response.status == 200)
        let user = try #require(response.json["user"] as? [String: Any])
        #expect(user["id"] as? String == account.id)
        #expect(user["lastLoginAt"] is String)
        #expect(response.cookie("refreshToken")?.value == (response.json["tokens"] as? [String: Any])?["refreshToken"] as? String)

        let token = try #require(response.json["accessToken"] as? String)
        let sessions = try await client.call("GET", "/api/auth/sessions", token: token).json["sessions"] as? [[String: Any]] ?? []
        #expect(sessions.count == 2)
        #expect(sessions.contains { $0["userAgent"] as? String == "LoginTests/1.0" && $0["ip"] as? String == "127.0.0.1" && $0["current"] as? Bool == true })
    }

    @Test func wrongPasswordAndUnknownEmailGetTheSame401() async throws {
        let app = try await TestApp()
        let client = try app.client()
        let account = try await client.register()
        let wrong = try await client.login(account.email, "not the password")
        let unknown = try await client.login(TestApp.uniqueEmail("nobody"), "not the password")
        #expect(wrong.status == 401)
        #expect(unknown.status == 401)
        #expect(wrong.code == "INVALID_CREDENTIALS")
        #expect(wrong.json["message"] as? String == unknown.json["message"] as? String)
        // A password bcrypt would truncate never logs in on its first 72 bytes.
        let long = try await client.login(account.email, account.password + String(repeating: "x", count: 80))
        #expect(long.status == 401)
    }

    @Test func unknownEmailTakesAsLongAsAWrongPassword() async throws {
        let app = try await TestApp(["BCRYPT_COST": "8"])
        let client = try app.client()
        let account = try await client.register()
        func secondsToFail(_ email: String) async throws -> Double {
            let started = Date()
            #expect(try await client.login(email, "not the password").status == 401)
            return Date().timeIntervalSince(started)
        }
        // Alternating the two, so that whatever else the machine is doing weighs on both alike.
        var known: [Double] = []
        var unknown: [Double] = []
        for _ in 0..<11 {
            known.append(try await secondsToFail(account.email))
            unknown.append(try await secondsToFail(TestApp.uniqueEmail("ghost")))
        }
        let wrongPassword = known.sorted()[5]
        let unknownEmail = unknown.sorted()[5]
        // Both run one bcrypt at cost 8 (~15 ms); without the dummy hash the unknown email
        // would answer in well under a millisecond.
        #expect(unknownEmail > wrongPassword * 0.4)
        #expect(unknownEmail < wrongPassword * 2.5)
    }

    @Test func disabledAccountIs403OnlyAfterThePasswordChecksOut() async throws {
        let app = try await TestApp()
        let client = try app.client()
        let account = try await client.register()
        try await Database.execute("UPDATE users SET is_active = false WHERE email = $1", [.text(account.email)])
        #expect(try await client.login(account.email, "wrong password").status == 401)
        let response = try await client.login(account.email, account.password)
        #expect(response.status == 403)
        #expect(response.code == "ACCOUNT_DISABLED")
        // Protected routes that touch the database notice the deactivation too.
        let me = try await client.call("GET", "/api/auth/me", token: account.accessToken)
        #expect(me.status == 401)
        #expect(me.code == "ACCOUNT_DISABLED")
    }

    @Test func failuresFromOneIPAreLimitedEvenForTheRightPassword() async throws {
        let app = try await TestApp(["LOGIN_MAX_FAILURES": "3"])
        let client = try app.client()
        let account = try await client.register()
        for _ in 0..<3 {
            #expect(try await client.login(account.email, "wrong password").status == 401)
        }
        let limited = try await client.login(account.email, account.password)
        #expect(limited.status == 429)
        #expect(limited.code == "TOO_MANY_ATTEMPTS")
        let retryAfter = try #require(limited.header("Retry-After").flatMap(Int.init))
        #expect(retryAfter > 0 && retryAfter <= 900)
    }

    @Test func failuresAgainstOneAccountAreLimitedAcrossIPs() async throws {
        // TRUST_PROXY lets the test speak for many client IPs through X-Forwarded-For.
        let app = try await TestApp(["ACCOUNT_MAX_FAILURES": "3", "TRUST_PROXY": "loopback"])
        let client = try app.client()
        let account = try await client.register()
        for index in 0..<3 {
            #expect(try await client.login(account.email, "wrong password", headers: [("X-Forwarded-For", "203.0.113.\(index)")]).status == 401)
        }
        let limited = try await client.login(account.email, account.password, headers: [("X-Forwarded-For", "198.51.100.7")])
        #expect(limited.status == 429)
        #expect(limited.code == "TOO_MANY_ATTEMPTS")
    }

    @Test func successResetsTheAccountCount() async throws {
        let app = try await TestApp(["ACCOUNT_MAX_FAILURES": "3", "TRUST_PROXY": "loopback"])
        let client = try app.client()
        let account = try await client.register()
        for round in 0..<2 {
            for index in 0..<2 {
                _ = try await client.login(account.email, "wrong", headers: [("X-Forwarded-For", "203.0.113.\(round * 10 + index)")])
            }
            #expect(try await client.login(account.email, account.password, headers: [("X-Forwarded-For", "198.51.100.\(round)")]).status == 200)
        }
    }

    @Test func aWeakerStoredHashIsUpgradedOnLogin() async throws {
        let weak = try await TestApp(["BCRYPT_COST": "4"])
        let account = try await weak.client().register()
        let strong = try await TestApp(["BCRYPT_COST": "5"])
        #expect(try await Database.passwordHash(email: account.email).hasPrefix("$2b$04$"))
        #expect(try await strong.client().login(account.email, account.password).status == 200)
        #expect(try await Database.passwordHash(email: account.email).hasPrefix("$2b$05$"))
        #expect(try await strong.client().login(account.email, account.password).status == 200)
    }
}
