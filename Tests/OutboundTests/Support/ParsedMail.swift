import Foundation

/// A message as Python's email package reads it (Tests/Support/mime_parts.py): headers
/// decoded from RFC 2047, parts decoded from their transfer encoding.
struct ParsedMail: Decodable {
    struct Part: Decodable {
        let contentType: String
        let charset: String?
        let transferEncoding: String?
        let text: String

        enum CodingKeys: String, CodingKey {
            case contentType = "content_type", charset, transferEncoding = "transfer_encoding", text
        }
    }

    let headers: [String: String]
    let contentType: String
    let parts: [Part]
    /// Whatever the parser found wrong with the message; a well-formed one has none.
    let defects: [String]

    enum CodingKeys: String, CodingKey {
        case headers, contentType = "content_type", parts, defects
    }

    init(_ bytes: some Sequence<UInt8>) throws {
        let output = try SupportScript.run("mime_parts.py", input: Data(bytes))
        self = try JSONDecoder().decode(ParsedMail.self, from: output)
    }
}
