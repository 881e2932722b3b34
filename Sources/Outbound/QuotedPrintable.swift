/// The quoted-printable transfer encoding, RFC 2045 §6.7.
enum QuotedPrintable {
    /// RFC 2045 §6.7 (5): encoded lines are at most 76 characters, a soft break's "=" included.
    private static let lineLength = 76
    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// `text` as UTF-8, its line breaks (LF, CR LF or CR) made CRLF, every line encoded.
    ///
    /// A line that begins with "." stays as it is: SMTP's dot-stuffing (RFC 5321 §4.5.2), done
    /// by libcurl, protects it on the wire.
    static func encode(_ text: String) -> [UInt8] {
        var output: [UInt8] = []
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        for (index, line) in lines.enumerated() {
            if index > 0 { output += [13, 10] }
            encodeLine(Array(line.utf8), into: &output)
        }
        return output
    }

    private static func encodeLine(_ bytes: [UInt8], into output: inout [UInt8]) {
        var width = 0
        for (index, byte) in bytes.enumerated() {
            let isLast = index == bytes.count - 1
            // Rule (2) keeps printable ASCII but "="; rule (3) encodes a space or tab that ends
            // the line, which transports may strip.
            let literal = (33...126).contains(byte) && byte != UInt8(ascii: "=")
                || (byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")) && !isLast
            let token: [UInt8] = literal ? [byte] : [UInt8(ascii: "="), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
            // Room for the soft break's "=", unless this token ends the line.
            let room = isLast ? lineLength : lineLength - 1
            if width + token.count > room {
                output += [UInt8(ascii: "="), 13, 10]
                width = 0
            }
            output += token
            width += token.count
        }
    }
}
