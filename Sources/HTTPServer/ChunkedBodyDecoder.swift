/// Decodes a chunked request body incrementally (RFC 9112 §7.1), whatever the byte split.
/// Chunk extensions are checked for stray control bytes, counted against a limit and ignored;
/// trailer fields are validated like header fields and discarded.
package struct ChunkedBodyDecoder {
    private enum State {
        case sizeLine
        case data(remaining: Int)
        case dataCRLF
        case trailerSection
    }

    /// RFC 9112 §7.1 sets no bound; 15 hex digits keep every size within Int on any platform we run on.
    private static let maxSizeDigits = 15

    private let limits: HTTPLimits
    private var state = State.sizeLine
    private var lineScanner = HTTPLineScanner()
    private var decodedCount = 0
    private var extensionByteCount = 0
    private var trailerCount = 0
    private var trailerByteCount = 0

    package init(limits: HTTPLimits) {
        self.limits = limits
    }

    /// Decodes what it can of `bytes`, appending chunk data to `body`. Returns how many bytes
    /// were consumed (the caller passes the rest again with more appended) and whether the body,
    /// trailer section included, is complete.
    package mutating func decode(
        _ bytes: UnsafeBufferPointer<UInt8>,
        into body: inout [UInt8]
    ) throws(HTTPParseError) -> (consumed: Int, isComplete: Bool) {
        var offset = 0
        while true {
            let pending = UnsafeBufferPointer(rebasing: bytes[offset...])
            switch state {
            case .sizeLine:
                guard let length = try lineScanner.lineLength(
                    in: pending, maxLength: Self.maxSizeDigits + limits.maxChunkExtensionBytes - extensionByteCount,
                    tooLong: .badRequest("chunk size line too long")
                ) else {
                    return (offset, false)
                }
                let size = try chunkSize(UnsafeBufferPointer(rebasing: pending[..<length]))
                offset += length + 2
                state = size == 0 ? .trailerSection : .data(remaining: size)

            case .data(let remaining):
                let count = min(remaining, pending.count)
                body.append(contentsOf: UnsafeBufferPointer(rebasing: pending[..<count]))
                offset += count
                guard count == remaining else {
                    state = .data(remaining: remaining - count)
                    return (offset, false)
                }
                state = .dataCRLF

            case .dataCRLF:
                guard pending.count >= 2 else {
                    if let first = pending.first, first != HTTPSyntax.cr { throw .badRequest("missing CRLF after chunk data") }
                    return (offset, false)
                }
                guard pending[0] == HTTPSyntax.cr, pending[1] == HTTPSyntax.lf else {
                    throw .badRequest("missing CRLF after chunk data")
                }
                offset += 2
                state = .sizeLine

            case .trailerSection:
                guard let length = try lineScanner.lineLength(
                    in: pending, maxLength: limits.maxHeaderBytes - trailerByteCount - 2,
                    tooLong: .headerFieldsTooLarge("trailer section too large")
                ) else {
                    return (offset, false)
                }
                offset += length + 2
                trailerByteCount += length + 2
                if length == 0 { return (offset, true) }
                trailerCount += 1
                if trailerCount > limits.maxHeaderCount { throw .headerFieldsTooLarge("too many trailer fields") }
                _ = try HTTPFieldLine(parsing: UnsafeBufferPointer(rebasing: pending[..<length]))
            }
        }
    }

    /// Parses `chunk-size [ chunk-ext ]` and checks the running total against the body limit.
    private mutating func chunkSize(_ line: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> Int {
        var size = 0
        var digitCount = 0
        while digitCount < line.count, let digit = Self.hexValue(line[digitCount]) {
            size = size << 4 | digit
            digitCount += 1
        }
        guard digitCount > 0, digitCount <= Self.maxSizeDigits else { throw .badRequest("invalid chunk size") }

        let chunkExtension = UnsafeBufferPointer(rebasing: line[digitCount...])
        extensionByteCount += chunkExtension.count
        guard extensionByteCount <= limits.maxChunkExtensionBytes else { throw .badRequest("chunk extensions too long") }
        guard Self.isValidExtension(chunkExtension) else { throw .badRequest("invalid chunk extension") }

        guard size <= limits.maxBodyBytes - decodedCount else { throw .contentTooLarge("chunked body over the body limit") }
        decodedCount += size
        return size
    }

    /// RFC 9112 §7.1.1: `chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )`,
    /// a name being a token and a value a token or a quoted-string. A bare ";" is refused.
    private static func isValidExtension(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        func skipWhitespace() {
            while index < bytes.count && HTTPSyntax.isWhitespace(bytes[index]) { index += 1 }
        }
        func skipToken() -> Bool {
            let start = index
            while index < bytes.count && HTTPSyntax.isToken(bytes[index]) { index += 1 }
            return index > start
        }
        func skipQuotedString() -> Bool {
            index += 1
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""): index += 1; return true
                case UInt8(ascii: "\\"):
                    guard index + 1 < bytes.count, HTTPSyntax.isFieldValue(bytes[index + 1]) else { return false }
                    index += 2
                case let byte where HTTPSyntax.isFieldValue(byte): index += 1
                default: return false
                }
            }
            return false
        }
        while index < bytes.count {
            // BWS only ever precedes a ";": trailing whitespace alone is not an extension.
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ";") else { return false }
            index += 1
            skipWhitespace()
            guard skipToken() else { return false }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { continue }
            index += 1
            skipWhitespace()
            let hasValue = index < bytes.count && bytes[index] == UInt8(ascii: "\"") ? skipQuotedString() : skipToken()
            guard hasValue else { return false }
        }
        return true
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte &- UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte &- UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte &- UInt8(ascii: "A")) + 10
        default: nil
        }
    }
}
