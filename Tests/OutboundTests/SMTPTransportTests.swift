import Foundation
import Outbound
import ScriptServers
import Testing

/// Delivery to a real SMTP server: Tests/Support/smtp_server.py (aiosmtpd) on 127.0.0.1, which
/// records every message it accepts in a mailbox directory read back here.
@Suite struct SMTPTransportTests {
    private let sender = try! MailAddress(parsing: "authserver <no-reply@localhost>")
    private let recipient = try! MailAddress("jane@example.com")
    private let timeouts = OutboundTimeouts(connect: 5, total: 15)

    private func message(to recipient: MailAddress? = nil, text: String = "Your link:\nhttps://app.example/verify?token=abc") throws -> MailMessage {
        try MailMessage(from: sender, to: recipient ?? self.recipient, subject: "Verify your email", text: text, html: "<p>Verify</p>")
    }

    /// How sending `message` fails; records an issue when it does not.
    private func failure(sending message: MailMessage, with transport: SMTPTransport) -> SMTPError? {
        do {
            try transport.send(message)
            Issue.record("the message was delivered")
            return nil
        } catch {
            return error
        }
    }

    @Test func plainSMTPOnLoopbackDeliversTheExactBytesDotLinesIncluded() throws {
        let mailbox = try Mailbox()
        let server = try ScriptServer("smtp_server.py", [mailbox.path])
        let transport = try SMTPTransport(url: "smtp://127.0.0.1:\(server.port)", trust: CertificateTrust(), timeouts: timeouts)
        // A line of one "." would end the DATA early and ".hidden" would lose its dot, unless
        // libcurl dot-stuffs them (RFC 5321 §4.5.2) and the server removes the stuffing.
        let text = "Your code:\n.hidden\n..two dots\n.\nbye"
        let message = try message(text: text)
        try transport.send(message)

        let received = try mailbox.messages()
        try #require(received.count == 1)
        #expect(received[0].mailFrom == "no-reply@localhost")
        #expect(received[0].rcptTos == ["jane@example.com"])
        #expect(received[0].tls == false)
        #expect(received[0].authenticatedAs == nil)
        #expect(Array(received[0].data) == message.bytes)
        let parsed = try ParsedMail(received[0].data)
        #expect(parsed.parts.map(\.text) == [text, "<p>Verify</p>"])
        #expect(parsed.headers["Message-ID"] == "<\(message.messageID)>")
        #expect(parsed.headers["From"] == "authserver <no-reply@localhost>")
    }

    @Test func startTLSWithAuthDeliversWhenTheExtraCATrustsTheServer() throws {
        let ca = try TestCA()
        let mailbox = try Mailbox()
        let server = try ScriptServer("smtp_server.py", [mailbox.path, "--starttls", "--auth", "mailer:p@ss/w:rd%"] + ca.serverArguments)
        // User and password are percent-decoded from the URL.
        let transport = try SMTPTransport(
            url: "smtp://mailer:p%40ss%2Fw%3Ard%25@localhost:\(server.port)", trust: CertificateTrust(extraCAFile: ca.caFile),
            timeouts: timeouts)
        try transport.send(message())

        let received = try mailbox.messages()
        try #require(received.count == 1)
        #expect(received[0].tls)
        #expect(received[0].authenticatedAs == "mailer")
    }

    @Test func implicitTLSWithAuthDelivers() throws {
        let ca = try TestCA()
        let mailbox = try Mailbox()
        let server = try ScriptServer("smtp_server.py", [mailbox.path, "--implicit-tls", "--auth", "apikey:secret"] + ca.serverArguments)
        let transport = try SMTPTransport(
            url: "smtps://apikey:secret@127.0.0.1:\(server.port)", trust: CertificateTrust(extraCAFile: ca.caFile), timeouts: timeouts)
        try transport.send(message())

        let received = try mailbox.messages()
        try #require(received.count == 1)
        #expect(received[0].tls)
        #expect(received[0].authenticatedAs == "apikey")
    }

    @Test func serverOutsideTheTrustedCAsFailsTransiently() throws {
        let ca = try TestCA()
        let mailbox = try Mailbox()
        let server = try ScriptServer("smtp_server.py", [mailbox.path, "--starttls"] + ca.serverArguments)
        let transport = try SMTPTransport(url: "smtp://localhost:\(server.port)", trust: CertificateTrust(), timeouts: timeouts)
        let error = try #require(failure(sending: try message(), with: transport))
        #expect(!error.isPermanent)
        #expect(error.stage == .connection)
        #expect(error.replyCode == nil)
        #expect(error.reason.contains("certificate"), "\(error)")
        #expect(try mailbox.messages().isEmpty)
    }

    /// libcurl's OpenSSL backend must load CAPATH and CAINFO into one store: with a CA in each,
    /// servers signed by either verify, and one signed by neither does not.
    @Test func caDirectoryAndExtraCAFileAreTrustedTogether() throws {
        let directoryCA = try TestCA()
        let fileCA = try TestCA()
        let strangerCA = try TestCA()
        let both = try CertificateTrust(extraCAFile: fileCA.caFile, systemCADirectory: directoryCA.hashedDirectory)
        for (ca, delivers) in [(directoryCA, true), (fileCA, true), (strangerCA, false)] {
            let mailbox = try Mailbox()
            let server = try ScriptServer("smtp_server.py", [mailbox.path, "--implicit-tls"] + ca.serverArguments)
            let transport = try SMTPTransport(url: "smtps://127.0.0.1:\(server.port)", trust: both, timeouts: timeouts)
            if delivers {
                try transport.send(message())
                #expect(try mailbox.messages().count == 1)
            } else {
                #expect(failure(sending: try message(), with: transport)?.isPermanent == false)
            }
        }
        // And the directory alone does not vouch for the file's CA.
        let mailbox = try Mailbox()
        let server = try ScriptServer("smtp_server.py", [mailbox.path, "--implicit-tls"] + fileCA.serverArguments)
        let directoryOnly = try CertificateTrust(systemCADirectory: directoryCA.hashedDirectory)
        let transport = try SMTPTransport(url: "smtps://127.0.0.1:\(server.port)", trust: directoryOnly, timeouts: timeouts)
        #expect(failure(sending: try message(), with: transport)?.stage == .connection)
    }

    /// 535 (RFC 4954 §6) is a 5yz reply, so permanent; `stage` tells the sender it is the
    /// configuration, not this message.
    @Test func wrongPasswordIsAPermanentAuthenticationFailureThatNeverShowsThePassword() throws {
        let ca = try TestCA()
        let mailbox = try Mailbox()
        let server = try ScriptServer("smtp_server.py", [mailbox.path, "--starttls", "--auth", "mailer:right-password"] + ca.serverArguments)
        let transport = try SMTPTransport(
            url: "smtp://mailer:Wrong-Pa55word@localhost:\(server.port)", trust: CertificateTrust(extraCAFile: ca.caFile),
            timeouts: timeouts)
        let error = try #require(failure(sending: try message(), with: transport))
        #expect(error.isPermanent)
        #expect(error.replyCode == 535)
        #expect(error.stage == .authentication)
        for text in ["\(error)", error.reason, String(reflecting: error), "\(transport)", String(reflecting: transport), dumped(transport)] {
            #expect(!text.contains("Wrong-Pa55word"), "\(text)")
        }
        #expect(try mailbox.messages().isEmpty)
    }

    @Test func refusedRecipientIsPermanent() throws {
        let mailbox = try Mailbox()
        let server = try ScriptServer("smtp_server.py", [mailbox.path, "--refuse", "^blocked@"])
        let transport = try SMTPTransport(url: "smtp://127.0.0.1:\(server.port)", trust: CertificateTrust(), timeouts: timeouts)
        let error = try #require(failure(sending: try message(to: MailAddress("blocked@example.com")), with: transport))
        #expect(error.isPermanent)
        #expect(error.replyCode == 550)
        #expect(error.stage == .recipient)
        #expect(error.reason.contains("550 5.1.1 <blocked@example.com>: mailbox unavailable"), "\(error)")
        #expect(try mailbox.messages().isEmpty)
    }

    @Test func refusedConnectionIsTransient() throws {
        let mailbox = try Mailbox()
        let server = try ScriptServer("smtp_server.py", [mailbox.path])
        server.stop()
        let transport = try SMTPTransport(url: "smtp://127.0.0.1:\(server.port)", trust: CertificateTrust(), timeouts: timeouts)
        let error = try #require(failure(sending: try message(), with: transport))
        #expect(!error.isPermanent)
        #expect(error.replyCode == nil)
        #expect(error.stage == .connection)
    }

    /// The server takes the message and never answers: the send fails at the total timeout,
    /// transiently, although the message arrived (delivery is at least once).
    @Test func serverThatHangsFailsWithinTheTotalTimeout() throws {
        let mailbox = try Mailbox()
        let server = try ScriptServer("smtp_server.py", [mailbox.path, "--hang"])
        let transport = try SMTPTransport(
            url: "smtp://127.0.0.1:\(server.port)", trust: CertificateTrust(), timeouts: OutboundTimeouts(connect: 2, total: 2))
        let clock = ContinuousClock()
        let start = clock.now
        let error = try #require(failure(sending: try message(), with: transport))
        let elapsed = clock.now - start
        #expect(elapsed >= .seconds(1.9) && elapsed < .seconds(4), "\(elapsed)")
        #expect(!error.isPermanent)
        #expect(error.stage == .data)
        #expect(error.reason.contains("imeout") || error.reason.contains("timed out"), "\(error)")
        #expect(try mailbox.messages().count == 1)
    }

    /// RFC 6531: libcurl asks for SMTPUTF8 when an address is not ASCII.
    @Test func internationalizedRecipientIsDeliveredWithSMTPUTF8() throws {
        let mailbox = try Mailbox()
        let server = try ScriptServer("smtp_server.py", [mailbox.path])
        let transport = try SMTPTransport(url: "smtp://127.0.0.1:\(server.port)", trust: CertificateTrust(), timeouts: timeouts)
        try transport.send(message(to: MailAddress("jösé@exämple.com", displayName: "José")))
        let received = try mailbox.messages()
        try #require(received.count == 1)
        #expect(received[0].rcptTos == ["jösé@exämple.com"])
        #expect(try ParsedMail(received[0].data).headers["To"] == "José <jösé@exämple.com>")
    }

    @Test func descriptionNamesTheServerWithoutThePassword() throws {
        let transport = try SMTPTransport(url: "smtps://apikey:SG.SECRET@smtp.sendgrid.net", trust: CertificateTrust())
        #expect(transport.description == "smtps://apikey@smtp.sendgrid.net:465")
        #expect(!String(reflecting: transport).contains("SECRET"))
        #expect(!dumped(transport).contains("SECRET"))
    }

    @Test(arguments: [
        "not a url", "http://mail.example.com", "smtp://mail.example.com/client.example.com", "smtp://user:pa#ss@mail.example.com",
        "smtp://user:pa?ss@mail.example.com", "smtp://:SECRET@mail.example.com",
    ])
    func unusableURLIsAConfigurationError(url: String) {
        do {
            _ = try SMTPTransport(url: url, trust: CertificateTrust())
            Issue.record("\(url) was accepted")
        } catch {
            #expect(!"\(error)".contains("SECRET"))
        }
    }

    private func dumped(_ value: some Any) -> String {
        var text = ""
        dump(value, to: &text)
        return text
    }
}
