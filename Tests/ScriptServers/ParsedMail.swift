import Foundation

/// A message as Python's email package reads it (Tests/Support/mime_parts.py): headers
/// decoded from RFC 2047, parts decoded from their transfer encoding.
public struct ParsedMail: Decodable, Sendable {
    public struct Part: Decodable, Sendable {
        public let contentType: String
        public let charset: String?
        public let transferEncoding: String?
        public let text: String

        enum CodingKeys: String, CodingKey {
            case contentType = "content_type", charset, transferEncoding = "transfer_encoding", text
        }
    }

    public let headers: [String: String]
    public let contentType: String
    public let parts: [Part]
    /// Whatever the parser found wrong with the message; a well-formed one has none.
    public let defects: [String]

    enum CodingKeys: String, CodingKey {
        case headers, contentType = "content_type", parts, defects
    }

    public init(_ bytes: some Sequence<UInt8>) throws {
        let output = try SupportScript.run("mime_parts.py", input: Data(bytes))
        self = try JSONDecoder().decode(ParsedMail.self, from: output)
    }
}
