/// A field line split into name and value: `field-name ":" OWS field-value OWS` (RFC 9112 §5).
/// Used for header and trailer sections alike.
struct HTTPFieldLine {
    let name: UnsafeBufferPointer<UInt8>
    /// The value with surrounding OWS removed.
    let value: UnsafeBufferPointer<UInt8>

    /// Splits and validates a field line given without its CRLF.
    init(parsing line: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) {
        // RFC 9112 §5.2: obs-fold must be rejected outside message/http; a leading space before
        // the first field is rejected too (§2.2).
        guard let first = line.first, !HTTPSyntax.isWhitespace(first) else {
            throw .badRequest("obsolete line folding")
        }
        var nameEnd = 0
        while nameEnd < line.count && HTTPSyntax.isToken(line[nameEnd]) { nameEnd += 1 }
        guard nameEnd < line.count, line[nameEnd] == UInt8(ascii: ":") else {
            // RFC 9112 §5.1: whitespace between field name and colon must be answered with 400.
            throw .badRequest(nameEnd < line.count && HTTPSyntax.isWhitespace(line[nameEnd])
                ? "whitespace before colon in field line" : "invalid field name")
        }
        guard nameEnd > 0 else { throw .badRequest("empty field name") }

        let value = HTTPSyntax.trimmingWhitespace(UnsafeBufferPointer(rebasing: line[(nameEnd + 1)...]))
        for byte in value where !HTTPSyntax.isFieldValue(byte) {
            throw .badRequest("invalid character in field value")
        }
        self.name = UnsafeBufferPointer(rebasing: line[..<nameEnd])
        self.value = value
    }
}
