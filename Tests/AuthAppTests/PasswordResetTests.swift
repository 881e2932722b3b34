import Foundation
import PostgresClient
import Testing

/// forgot-password → mail → reset-password, through a real SMTP server.
@Suite("Password reset, through aiosmtpd")
struct PasswordResetTests {
    @Test func aResetLinkSetsANewPasswordAndEndsEverySession() async throws {
        let database = try await IsolatedDatabase()
        let smtp = TestSMTPServer.plain
        let app = try await TestApp(mailTo: smtp, on: database)
        let client = try app.client()
        let account = try await client.register()
        let other = try await client.login(account.email, account.password)
        let otherRefresh = try #require((other.json["tokens"] as? [String: Any])?["refreshToken"] as? String)

        let forgot = try await client.call("POST", "/api/auth/forgot-password", json: ["email": account.email.uppercased()])
        #expect(forgot.status == 202 && forgot.json["success"] as? Bool == true)
        let mail = try #require(try await smtp.waitForMail(to: account.email, count: 2).first { $0.token("reset-password") != nil })
        #expect(mail.text.contains("30 minutes"))
        #expect(mail.text.contains("If you did not ask for this, ignore this message: your password stays as it is."))
        let token = try #require(mail.token("reset-password"))

        let weak = try await client.call("POST", "/api/auth/reset-password", json: ["token": token, "newPassword": "short"])
        #expect(weak.status == 400 && weak.code == "VALIDATION_FAILED")
        let reset = try await client.call("POST", "/api/auth/reset-password", json: ["token": token, "newPassword": "a brand new passphrase"])
        #expect(reset.status == 200 && reset.json["success"] as? Bool == true)
        #expect(reset.json["accessToken"] == nil)
        let reused = try await client.call("POST", "/api/auth/reset-password", json: ["token": token, "newPassword": "yet another passphrase"])
        #expect(reused.status == 400 && reused.code == "INVALID_RESET_TOKEN")

        // Every session ended, the old password is refused, the new one works, the mailbox counts as proven.
        #expect(try await client.call("GET", "/api/auth/me", token: account.accessToken).status == 401)
        for refreshToken in [account.refreshToken, otherRefresh] {
            #expect(try await client.call("POST", "/api/auth/refresh", json: ["refreshToken": refreshToken]).status == 401)
        }
        #expect(try await client.login(account.email, account.password).code == "INVALID_CREDENTIALS")
        let login = try await client.login(account.email, "a brand new passphrase")
        #expect(login.status == 200)
        #expect((login.json["user"] as? [String: Any])?["emailVerified"] as? Bool == true)

        let events = try await database.execute("SELECT type, details->>'revokedSessions' AS revoked FROM audit_events WHERE user_id = $1::uuid AND type LIKE 'password.reset%' ORDER BY id",
                                                [.text(account.id)])
        #expect(try events.rows.map { try $0.string("type") } == ["password.reset_requested", "password.reset"])
        #expect(try events.rows[1].string("revoked") == "2")
        // Sent: the row keeps no link.
        let row = try await database.execute("SELECT status, params IS NULL AS cleared FROM email_outbox WHERE template = 'password_reset' AND recipient = $1",
                                             [.text(account.email)]).rows[0]
        #expect(try row.string("status") == "sent" && row.bool("cleared"))
    }

    @Test func aNewerLinkReplacesTheOlderOneAndLinksExpire() async throws {
        let database = try await IsolatedDatabase()
        let smtp = TestSMTPServer.plain
        let app = try await TestApp(mailTo: smtp, on: database, ["PASSWORD_RESET_TTL": "90s"])
        let client = try app.client()
        let account = try await client.register()
        for _ in 0..<2 { _ = try await client.call("POST", "/api/auth/forgot-password", json: ["email": account.email]) }
        let links = try await smtp.waitForMail(to: account.email, count: 3).compactMap { $0.token("reset-password") }
        try #require(links.count == 2)
        #expect(try smtp.received(to: account.email).contains { $0.text.contains("90 seconds") })

        let older = try await client.call("POST", "/api/auth/reset-password", json: ["token": links[0], "newPassword": "a brand new passphrase"])
        #expect(older.status == 400 && older.code == "INVALID_RESET_TOKEN")
        try await database.execute("""
            UPDATE email_tokens SET created_at = now() - interval '1 hour', expires_at = now() - interval '1 second'
            WHERE email = $1 AND kind = 'password_reset'
            """, [.text(account.email)])
        let expired = try await client.call("POST", "/api/auth/reset-password", json: ["token": links[1], "newPassword": "a brand new passphrase"])
        #expect(expired.status == 400 && expired.code == "INVALID_RESET_TOKEN")
        #expect(try await client.login(account.email, account.password).status == 200)
    }

    @Test func unknownAndDisabledAddressesGetTheSameAnswerAndNoMail() async throws {
        let database = try await IsolatedDatabase()
        let smtp = TestSMTPServer.plain
        let app = try await TestApp(mailTo: smtp, on: database)
        let client = try app.client()
        let known = try await client.register()
        let disabled = try await client.register()
        try await database.execute("UPDATE users SET is_active = false WHERE email = $1", [.text(disabled.email)])
        let unknown = TestApp.uniqueEmail("nobody")

        var bodies: [String] = []
        for email in [unknown, disabled.email, known.email] {
            let response = try await client.call("POST", "/api/auth/forgot-password", json: ["email": email])
            #expect(response.status == 202)
            bodies.append(response.text)
        }
        #expect(Set(bodies).count == 1)
        _ = try await smtp.waitForMail(to: known.email, count: 2)
        try await database.waitUntil("SELECT NOT EXISTS (SELECT 1 FROM email_outbox WHERE status = 'pending')")
        // The rows of the unknown and the disabled address were dropped unsent.
        let queued = try await database.execute("""
            SELECT count(*)::int AS n FROM email_outbox WHERE template = 'password_reset' AND recipient = ANY($1::text[])
            """, [.text("{\(unknown),\(disabled.email)}")])
        #expect(try queued.rows[0].int("n") == 0)
        #expect(try await database.execute("SELECT 1 FROM email_tokens WHERE kind = 'password_reset' AND email <> $1",
                                           [.text(known.email)]).rows.isEmpty)
        let malformed = try await client.call("POST", "/api/auth/forgot-password", json: ["email": "not an address"])
        #expect(malformed.status == 400 && malformed.code == "VALIDATION_FAILED")
    }

    @Test func anAccountWithoutAPasswordGetsOneThroughAReset() async throws {
        let database = try await IsolatedDatabase()
        let smtp = TestSMTPServer.plain
        let app = try await TestApp(mailTo: smtp, on: database)
        let client = try app.client()
        let email = TestApp.uniqueEmail("provider")
        try await app.app.migrate()
        try await database.execute("INSERT INTO users (email, password_hash, email_verified) VALUES ($1, NULL, true)", [.text(email)])
        #expect(try await client.login(email, "any password at all").code == "INVALID_CREDENTIALS")

        _ = try await client.call("POST", "/api/auth/forgot-password", json: ["email": email])
        let token = try #require(try await smtp.waitForMail(to: email)[0].token("reset-password"))
        #expect(try await client.call("POST", "/api/auth/reset-password", json: ["token": token, "newPassword": "my first password"]).status == 200)
        let login = try await client.login(email, "my first password")
        #expect(login.status == 200)
        #expect((login.json["user"] as? [String: Any])?["hasPassword"] as? Bool == true)
    }

    @Test func requestsAreLimitedPerAddressAndPerClient() async throws {
        let database = try await IsolatedDatabase()
        let smtp = TestSMTPServer.plain
        let app = try await TestApp(mailTo: smtp, on: database, ["EMAIL_MAX_PER_ADDRESS": "2", "EMAIL_MAX_PER_IP": "4"])
        let client = try app.client()
        let email = TestApp.uniqueEmail("nobody")
        for _ in 0..<2 { #expect(try await client.call("POST", "/api/auth/forgot-password", json: ["email": email]).status == 202) }
        let perAddress = try await client.call("POST", "/api/auth/forgot-password", json: ["email": email])
        #expect(perAddress.status == 429 && perAddress.code == "TOO_MANY_ATTEMPTS")
        #expect(perAddress.headers.contains { $0.0.lowercased() == "retry-after" })
        _ = try await client.call("POST", "/api/auth/forgot-password", json: ["email": TestApp.uniqueEmail("nobody")])
        let perClient = try await client.call("POST", "/api/auth/forgot-password", json: ["email": TestApp.uniqueEmail("nobody")])
        #expect(perClient.status == 429 && perClient.code == "TOO_MANY_ATTEMPTS")
    }

    /// The time must not tell whether an account exists: the medians of 15 known and 15 unknown
    /// addresses, interleaved, each after the sender has gone idle (neither kind pays for the
    /// other's mail), are within 20%.
    @Test func knownAndUnknownAddressesTakeTheSameTime() async throws {
        let database = try await IsolatedDatabase()
        let smtp = TestSMTPServer.plain
        let app = try await TestApp(mailTo: smtp, on: database, ["EMAIL_MAX_PER_IP": "1000", "EMAIL_MAX_PER_ADDRESS": "1000"])
        let client = try app.client()
        var known: [String] = []
        for _ in 0..<21 { known.append(try await client.register().email) }
        let idle = "SELECT NOT EXISTS (SELECT 1 FROM email_outbox WHERE status = 'pending')"
        try await database.waitUntil(idle)

        func forgot(_ email: String) async throws -> Double {
            let start = ContinuousClock.now
            let response = try await client.call("POST", "/api/auth/forgot-password", json: ["email": email])
            let elapsed = ContinuousClock.now - start
            #expect(response.status == 202)
            try await database.waitUntil(idle)
            return Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds)
        }
        // Warm-up: every connection of the pool prepares the statements once.
        for index in 0..<6 {
            _ = try await forgot(known[15 + index])
            _ = try await forgot(TestApp.uniqueEmail("warm"))
        }
        // A real difference shows in every round; the noise of a loaded machine (the other
        // suites run meanwhile, and start together with this one) seldom spoils five in a row.
        var ratios: [Double] = []
        for round in 0..<5 {
            var knownTimes: [Double] = []
            var unknownTimes: [Double] = []
            for index in 0..<15 {
                let account = known[(round * 15 + index) % known.count]
                if index % 2 == 0 {
                    knownTimes.append(try await forgot(account))
                    unknownTimes.append(try await forgot(TestApp.uniqueEmail("nobody")))
                } else {
                    unknownTimes.append(try await forgot(TestApp.uniqueEmail("nobody")))
                    knownTimes.append(try await forgot(account))
                }
            }
            let knownMedian = knownTimes.sorted()[7]
            let unknownMedian = unknownTimes.sorted()[7]
            let ratio = max(knownMedian, unknownMedian) / min(knownMedian, unknownMedian)
            print("forgot-password medians, round \(round + 1): known \(knownMedian * 1000) ms, unknown \(unknownMedian * 1000) ms, ratio \(ratio)")
            ratios.append(ratio)
            if ratio <= 1.2 { break }
        }
        let ratio = ratios.min()!
        #expect(ratio <= 1.2, "the medians differed by more than 20% in every round: \(ratios)")
    }
}
