import Foundation
import PostgresClient
import Testing
import TestHTTPClient

extension BcryptHeavyTests {
    /// A login reads the hash, runs bcrypt (long, at a real cost), then writes. A password change
    /// that commits in between must win: the login is refused, gets no session, and never writes
    /// a rehash of the old password over the new one.
    @Suite("Login racing a password change")
    struct LoginRaceTests {
        /// Waits until `app`'s bcrypt pool is hashing (the login is inside its bcrypt), by its gauge.
        private func waitForBcrypt(_ app: TestApp) async throws {
            let deadline = Date() + 10
            while Date() < deadline {
                let page = try await app.inProcess().call("GET", "/metrics").text
                if page.split(separator: "\n").contains(where: { $0.hasPrefix("bcrypt_busy_threads ") && !$0.hasSuffix(" 0") }) { return }
                try await Task.sleep(for: .milliseconds(1))
            }
            Issue.record("the login never reached bcrypt")
        }

        private func sessionCount(_ userID: String) async throws -> Int {
            try await Database.execute("SELECT count(*)::int AS n FROM sessions WHERE user_id = $1::uuid", [.text(userID)]).rows[0].int("n")
        }

        @Test func aPasswordChangeDuringTheRehashOfALegacyHashRefusesTheLoginAndKeepsTheNewPassword() async throws {
            // The account's hash is at cost 4, the serving instance's cost 13: its login verifies
            // at once, then spends its time rehashing the old password.
            let legacy = try await TestApp(["BCRYPT_COST": "4"])
            let account = try await legacy.client().register()
            let serving = try await TestApp(["BCRYPT_COST": "13"])
            #expect(try await sessionCount(account.id) == 1)

            async let login = serving.client().login(account.email, account.password)
            try await waitForBcrypt(serving)
            let changed = try await legacy.client().call("POST", "/api/auth/change-password", json: [
                "currentPassword": account.password, "newPassword": "the owner's new passphrase",
            ], token: account.accessToken)
            #expect(changed.status == 200)

            let answer = try await login
            #expect(answer.status == 401)
            #expect(answer.code == "INVALID_CREDENTIALS")
            #expect(answer.cookie("refreshToken") == nil)
            #expect(try await sessionCount(account.id) == 1)
            // The rehash of the old password was not written: the new one holds, at its own cost.
            #expect(try await Database.passwordHash(email: account.email).hasPrefix("$2b$04$"))
            #expect(try await legacy.client().login(account.email, account.password).status == 401)
            #expect(try await legacy.client().login(account.email, "the owner's new passphrase").status == 200)
        }

        @Test func aPasswordChangeDuringTheLoginsVerificationRefusesTheLogin() async throws {
            let serving = try await TestApp(["BCRYPT_COST": "13"])
            let account = try await serving.client().register()

            async let login = serving.client().login(account.email, account.password)
            try await waitForBcrypt(serving)
            // What a password change or reset commits: another hash, every session revoked.
            try await Database.execute("""
                UPDATE users SET password_hash = '$2b$04$abcdefghijklmnopqrstuu5Lx6mtVXp7jZdT6c2rOzfnQb3PqvbWm' WHERE email = $1
                """, [.text(account.email)])
            try await Database.execute("UPDATE sessions SET revoked_at = now(), revoked_reason = 'password_changed' WHERE user_id = $1::uuid",
                                       [.text(account.id)])

            let answer = try await login
            #expect(answer.status == 401)
            #expect(answer.code == "INVALID_CREDENTIALS")
            let live = try await Database.execute("SELECT count(*)::int AS n FROM sessions WHERE user_id = $1::uuid AND revoked_at IS NULL",
                                                  [.text(account.id)])
            #expect(try live.rows[0].int("n") == 0)
            #expect(try await sessionCount(account.id) == 1)
        }
    }
}
