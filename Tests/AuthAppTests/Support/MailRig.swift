import Foundation
import PostgresClient
import ScriptServers
import TestHTTPClient

/// A database of its own in the test cluster, for tests of mail: every server's sender claims
/// whatever the outbox holds, so a test that reads what arrives must not share its outbox with
/// the other tests' servers. Created from the cluster's template, migrated by the first server
/// that starts on it; left for the throwaway cluster to remove.
final class IsolatedDatabase: Sendable {
    let url: String
    let database: PostgresDatabase

    init() async throws {
        let name = "mail_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
        try await Database.database.withSession { session in
            _ = try await session.execute("CREATE DATABASE \(name)")
        }
        let base = TestApp.databaseURL
        let path = base.range(of: "/", options: .backwards)!
        url = base[..<path.upperBound] + name
        database = try PostgresDatabase(url: url, group: Database.group, size: 2)
    }

    @discardableResult
    func execute(_ sql: String, _ parameters: [PostgresValue] = []) async throws -> PostgresResult {
        try await database.query(sql, parameters)
    }

    /// Waits, polling, until `sql` answers a first row whose first column is true.
    func waitUntil(_ sql: String, _ parameters: [PostgresValue] = [], timeout: Double = 30) async throws {
        let deadline = Date() + timeout
        while true {
            if let row = try await execute(sql, parameters).rows.first, try row.bool(0) { return }
            guard Date() < deadline else { throw TestHTTPClient.Failure(description: "timed out waiting for: \(sql)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

/// aiosmtpd (Tests/Support/smtp_server.py) on loopback, and what it received, parsed.
final class TestSMTPServer: @unchecked Sendable {
    // @unchecked Sendable: `server` is replaced only by `restart`, which a test calls between
    // its own awaited steps.
    let mailbox: Mailbox
    let ca: TestCA?
    private let arguments: [String]
    private var server: ScriptServer?
    private(set) var port: Int

    static let user = "mailer"
    static let password = "p@ss w0rd"

    /// One plain and one secure server for every test that needs nothing special of them:
    /// tests keep apart by their unique recipients. They end with the test process.
    static let plain = try! TestSMTPServer()
    static let secure = try! TestSMTPServer(secure: true)

    /// `secure`: STARTTLS required, AUTH required, on a certificate of a throwaway CA (give the
    /// app `EXTRA_CA_FILE = ca.caFile`). `options`: more of the script's (`--refuse`, `--delay`).
    init(secure: Bool = false, options: [String] = [], running: Bool = true) throws {
        mailbox = try Mailbox()
        ca = secure ? try TestCA() : nil
        arguments = (ca.map { ["--starttls", "--auth", "\(Self.user):\(Self.password)"] + $0.serverArguments } ?? []) + options
        let first = try ScriptServer("smtp_server.py", [mailbox.path] + arguments)
        port = first.port
        server = first
        if !running { stop() }
    }

    /// `SMTP_URL` for this server (credentials percent-encoded), with `EXTRA_CA_FILE` when secure.
    var settings: [String: String] {
        guard let ca else { return ["SMTP_URL": "smtp://127.0.0.1:\(port)"] }
        return ["SMTP_URL": "smtp://mailer:p%40ss%20w0rd@localhost:\(port)", "EXTRA_CA_FILE": ca.caFile]
    }

    func stop() {
        server?.stop()
        server = nil
    }

    /// Starts again on the same port, with the same mailbox.
    func restart() throws {
        server = try ScriptServer("smtp_server.py", [mailbox.path] + arguments + ["--port", String(port)])
    }

    func received(to address: String) throws -> [ReceivedMail] {
        try mailbox.messages().filter { $0.rcptTos.contains(address) }.map(ReceivedMail.init)
    }

    /// Waits, polling the mailbox, until `count` messages to `address` arrived; answers them.
    func waitForMail(to address: String, count: Int = 1, timeout: Double = 30) async throws -> [ReceivedMail] {
        let deadline = Date() + timeout
        while true {
            let mail = try mailbox.messages().filter { $0.rcptTos.contains(address) }
            if mail.count >= count { return try mail.map(ReceivedMail.init) }
            guard Date() < deadline else {
                throw TestHTTPClient.Failure(description: "\(mail.count) of \(count) messages to \(address) arrived within \(timeout) s")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

/// A message as it arrived, and its parts as a mail reader shows them: split and decoded here
/// (our messages are multipart/alternative, quoted-printable, UTF-8), so reading a message costs
/// no process. `parsed` asks Python's email package, an implementation the server did not write.
struct ReceivedMail: Sendable {
    let envelope: Mailbox.Message
    let headers: [String: String]
    let text: String
    let html: String

    init(_ envelope: Mailbox.Message) throws {
        self.envelope = envelope
        let message = String(decoding: envelope.data, as: UTF8.self)
        let (head, body) = Self.split(message)
        headers = head
        guard let boundary = head["Content-Type"]?.components(separatedBy: "boundary=\"").last?.components(separatedBy: "\"").first else {
            throw MailFailure(description: "not multipart: \(head["Content-Type"] ?? "no Content-Type")")
        }
        var parts: [String: String] = [:]
        for part in body.components(separatedBy: "--\(boundary)").dropFirst() where !part.hasPrefix("--") {
            let (partHead, partBody) = Self.split(String(part.drop { $0 == "\r\n" || $0 == "\n" }))
            let type = partHead["Content-Type"]?.components(separatedBy: ";").first ?? ""
            parts[type] = Self.decodeQuotedPrintable(partBody)
        }
        text = parts["text/plain"] ?? ""
        html = parts["text/html"] ?? ""
    }

    var subject: String { headers["Subject"] ?? "" }

    var parsed: ParsedMail {
        get throws { try ParsedMail(envelope.data) }
    }

    /// The token of the link `APP_URL/<path>?token=...` in the text part; nil without one.
    func token(_ path: String, appURL: String = "http://localhost:3000") -> String? {
        let prefix = "\(appURL)/\(path)?token="
        guard let start = text.range(of: prefix)?.upperBound else { return nil }
        let characters = text[start...].prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        return String(characters)
    }

    struct MailFailure: Error, CustomStringConvertible {
        let description: String
    }

    /// Header fields (unfolded) and the body after the blank line.
    private static func split(_ text: String) -> ([String: String], String) {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n")
        let head = normalized.components(separatedBy: "\n\n").first ?? ""
        let body = normalized.dropFirst(head.count + 2)
        var fields: [String: String] = [:]
        var last: String?
        for line in head.split(separator: "\n") {
            if line.first == " " || line.first == "\t", let name = last {
                fields[name, default: ""] += " " + line.trimmingCharacters(in: .whitespaces)
            } else if let colon = line.firstIndex(of: ":") {
                let name = String(line[..<colon])
                fields[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                last = name
            }
        }
        return (fields, String(body))
    }

    /// RFC 2045 §6.7: `=XX` is a byte, `=` at the end of a line a soft break.
    private static func decodeQuotedPrintable(_ text: String) -> String {
        var bytes: [UInt8] = []
        let input = Array(text.replacingOccurrences(of: "=\n", with: "").utf8)
        var index = 0
        while index < input.count {
            if input[index] == UInt8(ascii: "="), index + 2 < input.count,
               let byte = UInt8(String(decoding: input[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
                bytes.append(byte)
                index += 3
            } else {
                bytes.append(input[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .newlines)
    }
}

/// The settings of a server under test for mail: quick polls and retries.
enum MailSettings {
    static let quick = ["MAIL_POLL_INTERVAL": "100ms", "MAIL_RETRY_BACKOFF": "200ms", "SMTP_TIMEOUT": "10s", "SMTP_CONNECT_TIMEOUT": "5s"]
}

extension TestApp {
    /// A server on `database` delivering to `smtp`, with `settings` on top.
    convenience init(mailTo smtp: TestSMTPServer, on database: IsolatedDatabase, _ settings: [String: String] = [:]) async throws {
        try await self.init(MailSettings.quick.merging(smtp.settings) { $1 }.merging(settings) { $1 }, databaseURL: database.url)
    }
}
