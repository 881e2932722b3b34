import Foundation
import PostgresClient
import Testing

/// change-email → a link to the new address and a notice to the old → confirm-email, through
/// aiosmtpd with STARTTLS and AUTH on a certificate of a throwaway CA trusted via EXTRA_CA_FILE.
@Suite("Email change, through aiosmtpd with STARTTLS and AUTH")
struct EmailChangeTests {
    @Test func aConfirmedChangeMovesTheAccountAndEndsTheOtherSessions() async throws {
        let database = try await IsolatedDatabase()
        let smtp = TestSMTPServer.secure
        let app = try await TestApp(mailTo: smtp, on: database)
        let client = try app.client()
        let account = try await client.register(extra: ["name": "Ada"])
        let other = try await client.login(account.email, account.password)
        let otherRefresh = try #require((other.json["tokens"] as? [String: Any])?["refreshToken"] as? String)
        let taken = try await client.register()
        let newEmail = TestApp.uniqueEmail("moved")

        let wrongPassword = try await client.call("POST", "/api/auth/change-email", json: ["newEmail": newEmail, "password": "not my password"],
                                                  token: account.accessToken)
        #expect(wrongPassword.status == 401 && wrongPassword.code == "INVALID_CREDENTIALS")
        let conflict = try await client.call("POST", "/api/auth/change-email", json: ["newEmail": taken.email, "password": account.password],
                                             token: account.accessToken)
        #expect(conflict.status == 409 && conflict.code == "USER_EXISTS")
        let accepted = try await client.call("POST", "/api/auth/change-email",
                                             json: ["newEmail": newEmail.uppercased(), "password": account.password], token: account.accessToken)
        #expect(accepted.status == 202 && accepted.json["success"] as? Bool == true)

        let confirmation = try await smtp.waitForMail(to: newEmail)[0]
        #expect(confirmation.envelope.tls && confirmation.envelope.authenticatedAs == TestSMTPServer.user)
        #expect(confirmation.text.contains("asked to use \(newEmail)"))
        let token = try #require(confirmation.token("confirm-email"))
        let notice = try #require(try await smtp.waitForMail(to: account.email, count: 2).first { $0.subject.contains("about to change") })
        #expect(notice.text.contains(newEmail) && notice.text.contains("Hello Ada,"))
        #expect(notice.text.contains("If this was not you, change your password now"))
        #expect(!notice.text.contains("token="))
        // Nothing changed yet.
        #expect(try await client.login(account.email, account.password).status == 200)

        let confirmed = try await client.call("POST", "/api/auth/confirm-email", json: ["token": token], token: account.accessToken)
        #expect(confirmed.status == 200)
        let user = try #require(confirmed.json["user"] as? [String: Any])
        #expect(user["email"] as? String == newEmail && user["emailVerified"] as? Bool == true)
        #expect(try await client.call("POST", "/api/auth/confirm-email", json: ["token": token]).code == "INVALID_VERIFICATION_TOKEN")

        // The caller's session stays, every other one ended; the new address signs in, the old one no longer.
        #expect(try await client.call("POST", "/api/auth/refresh", json: ["refreshToken": account.refreshToken]).status == 200)
        #expect(try await client.call("POST", "/api/auth/refresh", json: ["refreshToken": otherRefresh]).status == 401)
        #expect(try await client.login(newEmail, account.password).status == 200)
        #expect(try await client.login(account.email, account.password).code == "INVALID_CREDENTIALS")
        let events = try await database.execute("SELECT details->>'from' AS f, details->>'to' AS t FROM audit_events WHERE type = 'email.changed' AND user_id = $1::uuid",
                                                [.text(account.id)])
        #expect(try events.rows.map { [try $0.string("f"), try $0.string("t")] } == [[account.email, newEmail]])
    }

    @Test func theAddressIsCheckedAgainAtConfirmation() async throws {
        let database = try await IsolatedDatabase()
        let smtp = TestSMTPServer.secure
        let app = try await TestApp(mailTo: smtp, on: database)
        let client = try app.client()
        let account = try await client.register()
        let newEmail = TestApp.uniqueEmail("wanted")
        _ = try await client.call("POST", "/api/auth/change-email", json: ["newEmail": newEmail, "password": account.password],
                                  token: account.accessToken)
        let token = try #require(try await smtp.waitForMail(to: newEmail)[0].token("confirm-email"))
        // Someone registers the address before the link is opened.
        _ = try await client.register(email: newEmail)

        let conflict = try await client.call("POST", "/api/auth/confirm-email", json: ["token": token])
        #expect(conflict.status == 409 && conflict.code == "USER_EXISTS")
        let me = try await client.call("GET", "/api/auth/me", token: account.accessToken)
        #expect((me.json["user"] as? [String: Any])?["email"] as? String == account.email)
    }

    @Test func aNewerChangeReplacesTheOlderLinkAndLinksExpire() async throws {
        let database = try await IsolatedDatabase()
        let smtp = TestSMTPServer.secure
        let app = try await TestApp(mailTo: smtp, on: database)
        let client = try app.client()
        let account = try await client.register()
        let first = TestApp.uniqueEmail("first")
        let second = TestApp.uniqueEmail("second")
        for email in [first, second] {
            let response = try await client.call("POST", "/api/auth/change-email", json: ["newEmail": email, "password": account.password],
                                                 token: account.accessToken)
            #expect(response.status == 202)
        }
        let firstToken = try #require(try await smtp.waitForMail(to: first)[0].token("confirm-email"))
        let secondToken = try #require(try await smtp.waitForMail(to: second)[0].token("confirm-email"))
        #expect(try await client.call("POST", "/api/auth/confirm-email", json: ["token": firstToken]).code == "INVALID_VERIFICATION_TOKEN")
        try await database.execute("""
            UPDATE email_tokens SET created_at = now() - interval '2 days', expires_at = now() - interval '1 second' WHERE email = $1
            """, [.text(second)])
        #expect(try await client.call("POST", "/api/auth/confirm-email", json: ["token": secondToken]).code == "INVALID_VERIFICATION_TOKEN")
        let unchanged = try await client.call("POST", "/api/auth/change-email", json: ["newEmail": account.email, "password": account.password],
                                              token: account.accessToken)
        #expect(unchanged.status == 400 && unchanged.code == "VALIDATION_FAILED")
    }
}
