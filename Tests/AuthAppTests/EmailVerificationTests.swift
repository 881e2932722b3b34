import Foundation
import PostgresClient
import Testing

/// Registration mails a verification link, through a real SMTP server; following it proves the
/// address (API.md, "Email: verification and password reset").
@Suite("Email verification, through aiosmtpd")
struct EmailVerificationTests {
    @Test func registrationMailsALinkThatVerifiesTheAddressOnce() async throws {
        let database = try await IsolatedDatabase()
        let smtp = TestSMTPServer.plain
        let app = try await TestApp(mailTo: smtp, on: database, ["MAIL_FROM": "Acme Jobs <no-reply@acme.example>"])
        let client = try app.client()
        let account = try await client.register()
        #expect(account.user["emailVerified"] as? Bool == false)

        let mail = try await smtp.waitForMail(to: account.email)
        try #require(mail.count == 1)
        let message = mail[0]
        #expect(message.envelope.mailFrom == "no-reply@acme.example")
        // As Python's email package reads it.
        let parsed = try message.parsed
        #expect(parsed.headers["From"] == "Acme Jobs <no-reply@acme.example>")
        for header in ["Date", "Message-ID", "MIME-Version"] { #expect(parsed.headers[header] != nil, "\(header)") }
        #expect(parsed.contentType == "multipart/alternative")
        #expect(parsed.parts.map(\.contentType) == ["text/plain", "text/html"])
        #expect(parsed.defects.isEmpty)
        #expect(parsed.parts.map(\.text) == [message.text, message.html].map { $0 + "\n" } || parsed.parts.map(\.text) == [message.text, message.html])
        // The outbox row's id: every attempt at this message carries the same Message-ID.
        let row = try await database.execute("SELECT id FROM email_outbox WHERE recipient = $1", [.text(account.email)]).rows[0]
        #expect(parsed.headers["Message-ID"] == "<\(try row.uuid("id").uuidString.lowercased())@acme.example>")
        #expect(message.subject.contains("Acme Jobs"))
        #expect(message.text.contains("If you did not sign up for Acme Jobs, ignore this message"))
        #expect(message.text.contains("24 hours"))
        let token = try #require(message.token("verify-email"))
        #expect(token.count == 43)
        #expect(message.html.contains("href=\"http://localhost:3000/verify-email?token=\(token)\""))
        // Only the hash is stored.
        let stored = try await database.execute("SELECT token_hash FROM email_tokens WHERE email = $1", [.text(account.email)])
        #expect(try stored.rows[0].bytes("token_hash").count == 32)

        let verified = try await client.call("POST", "/api/auth/verify-email", json: ["token": token])
        #expect(verified.status == 200)
        #expect((verified.json["user"] as? [String: Any])?["emailVerified"] as? Bool == true)
        let again = try await client.call("POST", "/api/auth/verify-email", json: ["token": token])
        #expect(again.status == 400 && again.code == "INVALID_VERIFICATION_TOKEN")

        let me = try await client.call("GET", "/api/auth/me", token: account.accessToken)
        #expect((me.json["user"] as? [String: Any])?["emailVerified"] as? Bool == true)
        let login = try await client.login(account.email, account.password)
        #expect(try jwtClaims(login.json["accessToken"] as! String)["email_verified"] as? Bool == true)
        let resend = try await client.call("POST", "/api/auth/resend-verification", token: account.accessToken)
        #expect(resend.status == 200 && resend.json["alreadyVerified"] as? Bool == true)
        let events = try await database.execute("SELECT type FROM audit_events WHERE user_id = $1::uuid AND type = 'email.verified'",
                                                [.text(account.id)])
        #expect(events.rows.count == 1)
    }

    @Test func aResentLinkReplacesTheOlderOneAndResendingIsLimitedPerAccount() async throws {
        let database = try await IsolatedDatabase()
        let smtp = TestSMTPServer.plain
        let app = try await TestApp(mailTo: smtp, on: database, ["EMAIL_MAX_PER_ADDRESS": "2"])
        let client = try app.client()
        let account = try await client.register()
        let resent = try await client.call("POST", "/api/auth/resend-verification", token: account.accessToken)
        #expect(resent.status == 202 && resent.json["success"] as? Bool == true)
        let mail = try await smtp.waitForMail(to: account.email, count: 2)
        let tokens = try mail.map { try #require($0.token("verify-email")) }
        #expect(Set(tokens).count == 2)

        let older = try await client.call("POST", "/api/auth/verify-email", json: ["token": tokens[0]])
        #expect(older.status == 400 && older.code == "INVALID_VERIFICATION_TOKEN")
        _ = try await client.call("POST", "/api/auth/resend-verification", token: account.accessToken)
        let limited = try await client.call("POST", "/api/auth/resend-verification", token: account.accessToken)
        #expect(limited.status == 429 && limited.code == "TOO_MANY_ATTEMPTS")
        // The third link (the second resend) replaced the second.
        let third = try await smtp.waitForMail(to: account.email, count: 3)[2]
        let newest = try #require(third.token("verify-email"))
        #expect(try await client.call("POST", "/api/auth/verify-email", json: ["token": tokens[1]]).status == 400)
        #expect(try await client.call("POST", "/api/auth/verify-email", json: ["token": newest]).status == 200)
    }

    @Test func anExpiredLinkIsRefused() async throws {
        let database = try await IsolatedDatabase()
        let smtp = TestSMTPServer.plain
        let app = try await TestApp(mailTo: smtp, on: database, ["EMAIL_VERIFICATION_TTL": "2s"])
        let client = try app.client()
        let account = try await client.register()
        let token = try #require(try await smtp.waitForMail(to: account.email)[0].token("verify-email"))
        #expect(try smtp.received(to: account.email)[0].text.contains("2 seconds"))
        try await database.execute("""
            UPDATE email_tokens SET created_at = now() - interval '1 hour', expires_at = now() - interval '1 second' WHERE email = $1
            """, [.text(account.email)])
        let expired = try await client.call("POST", "/api/auth/verify-email", json: ["token": token])
        #expect(expired.status == 400 && expired.code == "INVALID_VERIFICATION_TOKEN")
        #expect(try await client.call("POST", "/api/auth/verify-email", json: ["token": "not-a-token"]).status == 400)
        #expect(try await client.call("POST", "/api/auth/verify-email", json: [:]).code == "VALIDATION_FAILED")
    }

    @Test func whatUsersTypedIsEscapedInTheHTMLPart() async throws {
        let database = try await IsolatedDatabase()
        let smtp = TestSMTPServer.plain
        let app = try await TestApp(mailTo: smtp, on: database)
        let account = try await app.client().register(extra: ["name": "<b>Ada</b> & \"Co\" <script>x</script>"])
        let mail = try await smtp.waitForMail(to: account.email)[0]
        #expect(mail.html.contains("Hello &lt;b&gt;Ada&lt;/b&gt; &amp; &quot;Co&quot; &lt;script&gt;x&lt;/script&gt;,"))
        #expect(!mail.html.contains("<b>Ada") && !mail.html.contains("<script>"))
        #expect(mail.text.contains("Hello <b>Ada</b> & \"Co\" <script>x</script>,"))
    }

    @Test func requiredVerificationHoldsBackSessionsUntilTheAddressIsProven() async throws {
        let database = try await IsolatedDatabase()
        let smtp = TestSMTPServer.plain
        let lenient = try await TestApp(mailTo: smtp, on: database)
        let strict = try await TestApp(mailTo: smtp, on: database, ["REQUIRE_EMAIL_VERIFICATION": "true"])
        let client = try strict.client()

        let email = TestApp.uniqueEmail()
        let registered = try await client.call("POST", "/api/auth/register", json: ["email": email, "password": "correct horse battery"])
        #expect(registered.status == 201)
        #expect(registered.json["verificationRequired"] as? Bool == true)
        #expect(registered.json["accessToken"] == nil && registered.json["tokens"] == nil)
        #expect(registered.cookie("refreshToken") == nil)
        #expect((registered.json["user"] as? [String: Any])?["email"] as? String == email)

        let wrong = try await client.login(email, "wrong password!")
        #expect(wrong.status == 401 && wrong.code == "INVALID_CREDENTIALS")
        let unverified = try await client.login(email, "correct horse battery")
        #expect(unverified.status == 403 && unverified.code == "EMAIL_NOT_VERIFIED")

        // A session opened where verification is not required cannot be refreshed where it is.
        let elsewhere = try await lenient.client().login(email, "correct horse battery")
        let refreshToken = try #require((elsewhere.json["tokens"] as? [String: Any])?["refreshToken"] as? String)
        let refused = try await client.call("POST", "/api/auth/refresh", json: ["refreshToken": refreshToken])
        #expect(refused.status == 403 && refused.code == "EMAIL_NOT_VERIFIED")

        let token = try #require(try await smtp.waitForMail(to: email)[0].token("verify-email"))
        #expect(try await client.call("POST", "/api/auth/verify-email", json: ["token": token]).status == 200)
        #expect(try await client.login(email, "correct horse battery").status == 200)
        // The refused refresh rolled back: the same token still rotates.
        #expect(try await client.call("POST", "/api/auth/refresh", json: ["refreshToken": refreshToken]).status == 200)
    }
}

/// The payload of a JWT, unverified: what a test checks a claim in.
func jwtClaims(_ token: String) throws -> [String: Any] {
    var payload = String(token.split(separator: ".")[1]).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    while payload.count % 4 != 0 { payload += "=" }
    return try JSONSerialization.jsonObject(with: Data(base64Encoded: payload)!) as! [String: Any]
}
