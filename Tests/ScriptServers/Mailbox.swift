import Foundation

/// The directory where smtp_server.py writes each message it accepts.
public final class Mailbox {
    /// One accepted message, as smtp_server.py recorded it.
    public struct Message: Decodable, Sendable {
        public let mailFrom: String
        public let rcptTos: [String]
        /// Exactly what arrived, after the server removed SMTP's dot-stuffing.
        public let data: Data
        public let authenticatedAs: String?
        public let tls: Bool

        enum CodingKeys: String, CodingKey {
            case mailFrom = "mail_from", rcptTos = "rcpt_tos", data, authenticatedAs = "authenticated_as", tls
        }
    }

    private let directory: TemporaryDirectory

    public init() throws {
        directory = try TemporaryDirectory()
    }

    public var path: String { directory.path }

    /// Every message received so far, in arrival order.
    public func messages() throws -> [Message] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { name in
            try JSONDecoder().decode(Message.self, from: Data(contentsOf: URL(fileURLWithPath: directory.file(name))))
        }
    }
}
