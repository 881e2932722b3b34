import Foundation
import PostgresClient
import Testing
import TestHTTPClient

@Suite("POST /api/auth/login")
struct LoginTests {
    @Test func correctPasswordStartsASessionAndRecordsTheLogin() throws {
        let app = try TestApp()
        let client = try app.client()
        let account = try client.register()
        let response = try client.login(account.email.uppercased(), account.password, headers: [("User-Agent", "LoginTests/1.0")])
        #expect(response.status == 200)
        let user = try #require(response.json["user"] as? [String: Any])
        #expect(user["id"] as? String == account.id)
        #expect(user["lastLoginAt"] is String)
        #expect(response.cookie("refreshToken")?.value == (response.json["tokens"] as? [String: Any])?["refreshToken"] as? String)

        let token = try #require(response.json["accessToken"] as? String)
        let sessions = try client.call("GET", "/api/auth/sessions", token: token).json["sessions"] as? [[String: Any]] ?? []
        #expect(sessions.count == 2)
        #expect(sessions.contains { $0["userAgent"] as? String == "LoginTests/1.0" && $0["ip"] as? String == "127.0.0.1" && $0["current"] as? Bool == true })
    }

    @Test func wrongPasswordAndUnknownEmailGetTheSame401() throws {
        let app = try TestApp()
        let client = try app.client()
        let account = try client.register()
        let wrong = try client.login(account.email, "not the password")
        let unknown = try client.login(TestApp.uniqueEmail("nobody"), "not the password")
        #expect(wrong.status == 401)
        #expect(unknown.status == 401)
        #expect(wrong.code == "INVALID_CREDENTIALS")
        #expect(wrong.json["message"] as? String == unknown.json["message"] as? String)
        // A password bcrypt would truncate never logs in on its first 72 bytes.
        let long = try client.login(account.email, account.password + String(repeating: "x", count: 80))
        #expect(long.status == 401)
    }

    @Test func unknownEmailTakesAsLongAsAWrongPassword() throws {
        let app = try TestApp(["BCRYPT_COST": "8"])
        let client = try app.client()
        let account = try client.register()
        func median(_ email: String) throws -> Double {
            var samples: [Double] = []
            for _ in 0..<9 {
                let started = Date()
                #expect(try client.login(email, "not the password").status == 401)
                samples.append(Date().timeIntervalSince(started))
            }
            return samples.sorted()[4]
        }
        let wrongPassword = try median(account.email)
        let unknownEmail = try median(TestApp.uniqueEmail("ghost"))
        // Both run one bcrypt at cost 8 (~15 ms); without the dummy hash the unknown email
        // would answer in well under a millisecond.
        #expect(unknownEmail > wrongPassword * 0.4)
        #expect(unknownEmail < wrongPassword * 2.5)
    }

    @Test func disabledAccountIs403OnlyAfterThePasswordChecksOut() throws {
        let app = try TestApp()
        let client = try app.client()
        let account = try client.register()
        try Database.execute("UPDATE users SET is_active = false WHERE email = $1", [.text(account.email)])
        #expect(try client.login(account.email, "wrong password").status == 401)
        let response = try client.login(account.email, account.password)
        #expect(response.status == 403)
        #expect(response.code == "ACCOUNT_DISABLED")
        // Protected routes that touch the database notice the deactivation too.
        let me = try client.call("GET", "/api/auth/me", token: account.accessToken)
        #expect(me.status == 401)
        #expect(me.code == "ACCOUNT_DISABLED")
    }

    @Test func failuresFromOneIPAreLimitedEvenForTheRightPassword() throws {
        let app = try TestApp(["LOGIN_MAX_FAILURES": "3"])
        let client = try app.client()
        let account = try client.register()
        for _ in 0..<3 {
            #expect(try client.login(account.email, "wrong password").status == 401)
        }
        let limited = try client.login(account.email, account.password)
        #expect(limited.status == 429)
        #expect(limited.code == "TOO_MANY_ATTEMPTS")
        let retryAfter = try #require(limited.header("Retry-After").flatMap(Int.init))
        #expect(retryAfter > 0 && retryAfter <= 900)
    }

    @Test func failuresAgainstOneAccountAreLimitedAcrossIPs() throws {
        // TRUST_PROXY lets the test speak for many client IPs through X-Forwarded-For.
        let app = try TestApp(["ACCOUNT_MAX_FAILURES": "3", "TRUST_PROXY": "loopback"])
        let client = try app.client()
        let account = try client.register()
        for index in 0..<3 {
            #expect(try client.login(account.email, "wrong password", headers: [("X-Forwarded-For", "203.0.113.\(index)")]).status == 401)
        }
        let limited = try client.login(account.email, account.password, headers: [("X-Forwarded-For", "198.51.100.7")])
        #expect(limited.status == 429)
        #expect(limited.code == "TOO_MANY_ATTEMPTS")
    }

    @Test func successResetsTheAccountCount() throws {
        let app = try TestApp(["ACCOUNT_MAX_FAILURES": "3", "TRUST_PROXY": "loopback"])
        let client = try app.client()
        let account = try client.register()
        for round in 0..<2 {
            for index in 0..<2 {
                _ = try client.login(account.email, "wrong", headers: [("X-Forwarded-For", "203.0.113.\(round * 10 + index)")])
            }
            #expect(try client.login(account.email, account.password, headers: [("X-Forwarded-For", "198.51.100.\(round)")]).status == 200)
        }
    }

    @Test func aWeakerStoredHashIsUpgradedOnLogin() throws {
        let weak = try TestApp(["BCRYPT_COST": "4"])
        let account = try weak.client().register()
        let strong = try TestApp(["BCRYPT_COST": "5"])
        #expect(try Database.passwordHash(email: account.email).hasPrefix("$2b$04$"))
        #expect(try strong.client().login(account.email, account.password).status == 200)
        #expect(try Database.passwordHash(email: account.email).hasPrefix("$2b$05$"))
        #expect(try strong.client().login(account.email, account.password).status == 200)
    }
}
