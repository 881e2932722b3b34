import Foundation
import PostgresClient
import Testing

/// The outbox and its senders against a real SMTP server that goes down, refuses, and is slow.
@Suite("Mail outbox and senders")
struct MailOutboxTests {
    private static let pending = "SELECT NOT EXISTS (SELECT 1 FROM email_outbox WHERE status = 'pending')"

    /// Rows queued straight into the outbox, `age` seconds ago: notices, which carry no token.
    private func queueNotices(to recipients: [String], age: Int = 0, on database: IsolatedDatabase) async throws {
        for recipient in recipients {
            try await database.execute("""
                INSERT INTO email_outbox (template, recipient, params, created_at)
                VALUES ('email_change_notice', $1, '{"newEmail": "new@example.com"}', now() - make_interval(secs => $2))
                """, [.text(recipient), .int(age)])
        }
    }

    @Test func mailQueuedWhileTheServerIsDownArrivesOnceItIsBack() async throws {
        let database = try await IsolatedDatabase()
        let smtp = try TestSMTPServer(running: false)
        let app = try await TestApp(mailTo: smtp, on: database, ["MAIL_RETRY_BACKOFF": "300ms"])
        let client = try app.client()
        let email = TestApp.uniqueEmail()
        try await app.app.migrate()
        try await database.execute("INSERT INTO users (email, password_hash) VALUES ($1, NULL)", [.text(email)])

        #expect(try await client.call("POST", "/api/auth/forgot-password", json: ["email": email]).status == 202)
        try await database.waitUntil("""
            SELECT attempts >= 2 AND status = 'pending' AND last_error IS NOT NULL FROM email_outbox WHERE recipient = $1
            """, [.text(email)])
        try smtp.restart()
        try await database.waitUntil("SELECT status = 'sent' FROM email_outbox WHERE recipient = $1", [.text(email)])
        let mail = try smtp.received(to: email)
        #expect(mail.count == 1)
        let token = try #require(mail.first?.token("reset-password"))
        #expect(try await client.call("POST", "/api/auth/reset-password", json: ["token": token, "newPassword": "back in business"]).status == 200)
        let metrics = try await client.call("GET", "/metrics").text
        #expect(metrics.contains("mail_deferred_total{template=\"password_reset\"}"))
        #expect(metrics.contains("mail_sent_total{template=\"password_reset\"} 1"))
        #expect(metrics.contains("mail_pending"))
    }

    /// Two instances poll one outbox every 50 ms while each delivery takes 600 ms: a row leased
    /// to one is never taken by the other (Kratos issues 652, 732 and 402).
    @Test func twoInstancesDeliverEachMessageExactlyOnceEvenWhenDeliveryIsSlow() async throws {
        let database = try await IsolatedDatabase()
        let smtp = try TestSMTPServer(options: ["--delay", "0.6"])
        let settings = ["MAIL_POLL_INTERVAL": "50ms"]
        let first = try await TestApp(mailTo: smtp, on: database, settings)
        let second = try await TestApp(mailTo: smtp, on: database, settings)
        let recipients = (0..<12).map { TestApp.uniqueEmail("once-\($0)") }
        try await queueNotices(to: recipients, on: database)

        try await database.waitUntil(Self.pending, timeout: 60)
        let received = try smtp.mailbox.messages()
        #expect(received.count == recipients.count)
        for recipient in recipients {
            #expect(received.filter { $0.rcptTos == [recipient] }.count == 1, "\(recipient)")
        }
        let sent = try await database.execute("SELECT count(*)::int AS n FROM email_outbox WHERE status = 'sent' AND attempts = 1")
        #expect(try sent.rows[0].int("n") == recipients.count)
        // Both took part.
        for app in [first, second] {
            #expect(try await app.client().call("GET", "/metrics").text.contains("mail_sent_total{template=\"email_change_notice\"}"))
        }
    }

    @Test func aPermanentRefusalIsNotRetriedAndHoldsUpNothing() async throws {
        let database = try await IsolatedDatabase()
        let smtp = try TestSMTPServer(options: ["--refuse", "^refused-"])
        let app = try await TestApp(mailTo: smtp, on: database)
        let refused = TestApp.uniqueEmail("refused")
        let fine = TestApp.uniqueEmail("fine")
        try await app.app.migrate()
        try await queueNotices(to: [refused, fine], on: database)

        _ = try await smtp.waitForMail(to: fine)
        try await database.waitUntil(Self.pending)
        let row = try await database.execute("SELECT status, attempts, last_error, params IS NULL AS cleared FROM email_outbox WHERE recipient = $1",
                                             [.text(refused)]).rows[0]
        #expect(try row.string("status") == "failed" && row.int("attempts") == 1 && row.bool("cleared"))
        #expect(try row.string("last_error").contains("550"))
        #expect(try smtp.received(to: refused).isEmpty)
        let metrics = try await app.client().call("GET", "/metrics").text
        #expect(metrics.contains("mail_failed_total{template=\"email_change_notice\",reason=\"refused\"} 1")
            || metrics.contains("mail_failed_total{reason=\"refused\",template=\"email_change_notice\"} 1"))
    }

    @Test func transientFailuresAreRetriedWithBackoffUntilTheRetryLimit() async throws {
        let database = try await IsolatedDatabase()
        let smtp = try TestSMTPServer(running: false)
        let app = try await TestApp(mailTo: smtp, on: database, ["MAIL_RETRY_BACKOFF": "100ms"])
        let fresh = TestApp.uniqueEmail("fresh")
        let old = TestApp.uniqueEmail("old")
        try await app.app.migrate()
        try await queueNotices(to: [fresh], on: database)
        // Queued a day and more ago: past the 24 h of retries.
        try await queueNotices(to: [old], age: 25 * 3600, on: database)

        try await database.waitUntil("SELECT attempts >= 3 FROM email_outbox WHERE recipient = $1", [.text(fresh)])
        try await database.waitUntil("SELECT status = 'failed' FROM email_outbox WHERE recipient = $1", [.text(old)])
        let retried = try await database.execute("""
            SELECT status, last_error, params IS NOT NULL AS kept, next_attempt_at > created_at AS later FROM email_outbox WHERE recipient = $1
            """, [.text(fresh)]).rows[0]
        #expect(try retried.string("status") == "pending" && retried.bool("kept") && retried.bool("later"))
        #expect(try retried.string("last_error").contains("transient"))
        let failed = try await database.execute("SELECT attempts, failed_at IS NOT NULL AS failed, params IS NULL AS cleared FROM email_outbox WHERE recipient = $1",
                                                [.text(old)]).rows[0]
        #expect(try failed.int("attempts") == 1 && failed.bool("failed") && failed.bool("cleared"))
    }

    @Test func shutdownFinishesTheDeliveryInProgress() async throws {
        let database = try await IsolatedDatabase()
        let smtp = try TestSMTPServer(options: ["--delay", "1"])
        let app = try await TestApp(mailTo: smtp, on: database)
        let recipient = TestApp.uniqueEmail("inflight")
        try await queueNotices(to: [recipient], on: database)
        try await database.waitUntil("SELECT claimed_by IS NOT NULL FROM email_outbox WHERE recipient = $1", [.text(recipient)])

        app.app.stop()
        let row = try await database.execute("SELECT status, claimed_by FROM email_outbox WHERE recipient = $1", [.text(recipient)]).rows[0]
        #expect(try row.string("status") == "sent")
        #expect(try row.optionalString("claimed_by") == nil)
        #expect(try smtp.received(to: recipient).count == 1)
    }

    @Test func productionWithoutSMTPSendsNothingAndLeavesTheMailQueued() async throws {
        let database = try await IsolatedDatabase()
        let app = try await TestApp(["APP_ENV": "production", "BCRYPT_COST": "10", "MAIL_POLL_INTERVAL": "50ms"], databaseURL: database.url)
        let client = try app.client()
        let account = try await client.register()
        // Once the housekeeping lane has counted the row, it is still pending, and unclaimed:
        // there is no delivery lane to claim it.
        let deadline = Date() + 30
        while try await !client.call("GET", "/metrics").text.contains("mail_pending 1") {
            try #require(Date() < deadline, "mail_pending never showed the queued message")
            try await Task.sleep(for: .milliseconds(50))
        }
        let row = try await database.execute("SELECT status, claimed_by, attempts FROM email_outbox WHERE recipient = $1",
                                             [.text(account.email)]).rows[0]
        #expect(try row.string("status") == "pending" && row.optionalString("claimed_by") == nil && row.int("attempts") == 0)
    }
}
