import Foundation
import Outbound
import ScriptServers
import Testing

@Suite struct MailMessageTests {
    private let sender = try! MailAddress(parsing: "authserver <no-reply@localhost>")
    private let recipient = try! MailAddress("jane@example.com", displayName: "Jane Doe")

    private func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        for index in bytes.indices.dropFirst() where bytes[index - 1] == 13 && bytes[index] == 10 {
            lines.append(bytes[start..<(index - 1)])
            start = index + 1
        }
        return lines
    }

    @Test func rendersHeadersAndBothPartsThatAReaderDecodes() throws {
        let text = "Hello Jane,\n\nOpen https://app.example/verify?token=abc=def to verify.\n.hidden line\nEnd with spaces   \n"
        let html = "<p>Hello <b>Jane</b> &amp; co</p>\n<p>caf\u{E9} \u{2014} \u{1F510}</p>"
        let message = try MailMessage(
            from: sender, to: recipient, subject: "Verify your email", text: text, html: html,
            date: Date(timeIntervalSince1970: 1_700_000_000))
        let parsed = try ParsedMail(message.bytes)

        #expect(parsed.defects == [])
        #expect(parsed.headers["From"] == "authserver <no-reply@localhost>")
        #expect(parsed.headers["To"] == "Jane Doe <jane@example.com>")
        #expect(parsed.headers["Subject"] == "Verify your email")
        #expect(parsed.headers["Date"] == "Tue, 14 Nov 2023 22:13:20 +0000")
        #expect(parsed.headers["Message-ID"] == "<\(message.messageID)>")
        #expect(message.messageID.hasSuffix("@localhost"))
        #expect(parsed.headers["MIME-Version"] == "1.0")
        #expect(parsed.contentType == "multipart/alternative")
        #expect(parsed.parts.map(\.contentType) == ["text/plain", "text/html"])
        #expect(parsed.parts.map(\.charset) == ["utf-8", "utf-8"])
        #expect(parsed.parts.map(\.transferEncoding) == ["quoted-printable", "quoted-printable"])
        #expect(parsed.parts[0].text == text)
        // The CRLF before the closing boundary belongs to the boundary (RFC 2046 §5.1.1).
        #expect(parsed.parts[1].text == html)
    }

    @Test func everyLineEndsInCRLFWithinLimitsAndDotLinesStayForSMTPToStuff() throws {
        let longLine = String(repeating: "0123456789", count: 150)
        let message = try MailMessage(
            from: sender, to: recipient, subject: "Lines", text: "first\r\n.hidden\rlast\n\(longLine)", html: "<p>\(longLine)</p>")
        let bytes = message.bytes
        #expect(bytes.suffix(2) == [13, 10])
        for (index, byte) in bytes.enumerated() {
            if byte == 10 { #expect(index > 0 && bytes[index - 1] == 13, "bare LF at \(index)") }
            if byte == 13 { #expect(index + 1 < bytes.count && bytes[index + 1] == 10, "bare CR at \(index)") }
        }
        let lines = lines(bytes)
        #expect(lines.allSatisfy { $0.count <= 998 })
        // RFC 2045 §6.7 (5): the quoted-printable bodies keep to 76.
        #expect(lines.allSatisfy { $0.count <= 78 })
        #expect(lines.contains { Array($0) == Array(".hidden".utf8) })
        let parsed = try ParsedMail(bytes)
        #expect(parsed.parts[0].text == "first\n.hidden\nlast\n\(longLine)")
    }

    @Test func nonASCIISubjectAndDisplayNameAreEncodedWords() throws {
        let subject = "Vérifiez votre adresse — 確認してください 🔐 " + String(repeating: "ü", count: 80)
        let from = try MailAddress("no-reply@localhost", displayName: "Zoë’s authserver")
        let message = try MailMessage(from: from, to: recipient, subject: subject, text: "t", html: "h")
        let headerEnd = message.bytes.indices.first { message.bytes[$0...].starts(with: [13, 10, 13, 10]) }!
        let header = message.bytes[..<headerEnd]
        #expect(header.allSatisfy { $0 < 0x80 }, "RFC 2047 leaves the header ASCII")
        #expect(lines(Array(message.bytes[...headerEnd]) + [13, 10]).allSatisfy { $0.count <= 78 })
        #expect(String(decoding: header, as: UTF8.self).contains("=?UTF-8?B?"))

        let parsed = try ParsedMail(message.bytes)
        #expect(parsed.defects == [])
        #expect(parsed.headers["Subject"] == subject)
        #expect(parsed.headers["From"] == "Zoë’s authserver <no-reply@localhost>")
    }

    @Test func longASCIISubjectFoldsAtSpacesAndUnfoldsExactly() throws {
        let subject = (1...40).map { "word\($0)" }.joined(separator: " ") + "  two  spaces"
        let message = try MailMessage(from: sender, to: recipient, subject: subject, text: "t", html: "h")
        let rendered = String(decoding: message.bytes, as: UTF8.self)
        let field = rendered.components(separatedBy: "\r\n").drop { !$0.hasPrefix("Subject:") }
        #expect(field.count > 2)
        #expect(try ParsedMail(message.bytes).headers["Subject"] == subject)
        #expect(lines(message.bytes).allSatisfy { $0.count <= 78 })
    }

    @Test func subjectWithEncodedWordLookalikeIsEncodedSoItReadsBackLiterally() throws {
        let subject = "=?UTF-8?B?SGk=?= is not an encoded word here"
        let message = try MailMessage(from: sender, to: recipient, subject: subject, text: "t", html: "h")
        #expect(try ParsedMail(message.bytes).headers["Subject"] == subject)
    }

    @Test func quotedDisplayNameKeepsItsSpecials() throws {
        let to = try MailAddress("jane@example.com", displayName: "Doe, \"JD\" Jane")
        let message = try MailMessage(from: sender, to: to, subject: "s", text: "t", html: "h")
        #expect(String(decoding: message.bytes, as: UTF8.self).contains("To: \"Doe, \\\"JD\\\" Jane\" <jane@example.com>\r\n"))
        #expect(try ParsedMail(message.bytes).headers["To"] == "\"Doe, \\\"JD\\\" Jane\" <jane@example.com>")
    }

    @Test(arguments: ["Hi\r\nBcc: victim@example.com", "Hi\nBcc: victim@example.com", "Hi\r", "tab\there", "nul\u{0}", "sep\u{2028}"])
    func headerInjectionInSubjectIsRefused(subject: String) {
        #expect(throws: MailMessageError.invalidHeaderValue(field: "Subject")) {
            try MailMessage(from: sender, to: recipient, subject: subject, text: "t", html: "h")
        }
    }

    @Test func headerInjectionInDisplayNameIsRefused() {
        #expect(throws: MailMessageError.invalidHeaderValue(field: "display name")) {
            try MailAddress("jane@example.com", displayName: "Jane\r\nBcc: victim@example.com")
        }
        #expect(throws: MailMessageError.self) {
            try MailAddress(parsing: "Jane\nBcc: victim@example.com <jane@example.com>")
        }
    }

    @Test func eachMessageHasItsOwnMessageIDAndBoundary() throws {
        let first = try MailMessage(from: sender, to: recipient, subject: "s", text: "t", html: "h")
        let second = try MailMessage(from: sender, to: recipient, subject: "s", text: "t", html: "h")
        #expect(first.messageID != second.messageID)
        let boundary = { (message: MailMessage) in
            String(decoding: message.bytes, as: UTF8.self).components(separatedBy: "boundary=\"")[1].prefix { $0 != "\"" }
        }
        #expect(boundary(first) != boundary(second))
        #expect(boundary(first).hasPrefix("=_"))
    }

    @Test func aFixedMessageIDLocalPartMakesRetriesTheSameMessage() throws {
        let message = try MailMessage(from: sender, to: recipient, subject: "s", text: "t", html: "h", messageIDLocalPart: "0b8e6f0e-3f5a.x_1")
        #expect(message.messageID == "0b8e6f0e-3f5a.x_1@localhost")
        for invalid in ["", "a b", "a>b", "a@b", "a\r\nBcc: x"] {
            #expect(throws: MailMessageError.invalidHeaderValue(field: "Message-ID")) {
                try MailMessage(from: sender, to: recipient, subject: "s", text: "t", html: "h", messageIDLocalPart: invalid)
            }
        }
    }

    @Test func htmlEscapeCoversTheFiveCharacters() {
        #expect(HTML.escape(#"<a href="x" title='y'>Tom & Jerry</a>"#)
            == "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;")
        #expect(HTML.escape("plain café") == "plain café")
    }
}
