import Foundation

/// The directory where smtp_server.py writes each message it accepts.
final class Mailbox {
    /// One accepted message, as smtp_server.py recorded it.
    struct Message: Decodable {
        let mailFrom: String
        let rcptTos: [String]
        /// Exactly what arrived, after the server removed SMTP's dot-stuffing.
        let data: Data
        let authenticatedAs: String?
        let tls: Bool

        enum CodingKeys: String, CodingKey {
            case mailFrom = "mail_from", rcptTos = "rcpt_tos", data, authenticatedAs = "authenticated_as", tls
        }
    }

    private let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    var path: String { directory.path }

    /// Every message received so far, in arrival order.
    func messages() throws -> [Message] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { name in
            try JSONDecoder().decode(Message.self, from: Data(contentsOf: URL(fileURLWithPath: directory.file(name))))
        }
    }
}
