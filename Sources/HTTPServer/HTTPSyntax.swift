/// Byte-level grammar shared by the request parser's parts: character classes and list splitting.
/// Everything works on bytes, never on Characters, to keep the parser's hot loops cheap.
enum HTTPSyntax {
    static let cr = UInt8(ascii: "\r")
    static let lf = UInt8(ascii: "\n")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")

    // Character sets below 128 as two 64-bit masks (bit n of low is byte n, of high is byte 64 + n).
    // tchar: ! # $ % & ' * + - . ^ _ ` | ~ DIGIT ALPHA (RFC 9110 §5.6.2).
    private static let tokenLow: UInt64 = 0x03ff_6cfa_0000_0000
    private static let tokenHigh: UInt64 = 0x57ff_ffff_c7ff_fffe
    // uri-host and port: unreserved, sub-delims, ":", "[", "]", "%" (RFC 3986 §3.2.2, §3.2.3).
    private static let hostLow: UInt64 = 0x2fff_7ff2_0000_0000
    private static let hostHigh: UInt64 = 0x47ff_fffe_afff_fffe

    @inline(__always)
    private static func isMember(_ byte: UInt8, low: UInt64, high: UInt64) -> Bool {
        byte < 64 ? (low >> UInt64(byte)) & 1 == 1 : byte < 128 && (high >> UInt64(byte &- 64)) & 1 == 1
    }

    @inline(__always)
    static func isToken(_ byte: UInt8) -> Bool {
        isMember(byte, low: tokenLow, high: tokenHigh)
    }

    @inline(__always)
    static func isHost(_ byte: UInt8) -> Bool {
        isMember(byte, low: hostLow, high: hostHigh)
    }

    /// field-vchar, SP or HTAB: visible ASCII and obs-text, no controls (RFC 9110 §5.5).
    @inline(__always)
    static func isFieldValue(_ byte: UInt8) -> Bool {
        byte >= 0x20 ? byte != 0x7F : byte == tab
    }

    /// Visible ASCII: what a request-target may hold unencoded (RFC 3986 §2).
    @inline(__always)
    static func isTarget(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7F
    }

    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == space || byte == tab
    }

    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
    }

    /// Whether `bytes` spell `lowercase` in any ASCII case.
    static func bytes(_ bytes: UnsafeBufferPointer<UInt8>, equalIgnoringCase lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        let expected = lowercase.utf8Start
        for index in 0..<bytes.count where lowercased(bytes[index]) != expected[index] {
            return false
        }
        return true
    }

    /// Calls `body` with each element of a comma-separated list, OWS trimmed; empty elements
    /// are skipped as RFC 9110 §5.6.1 requires.
    static func forEachListElement<E: Error>(
        in bytes: UnsafeBufferPointer<UInt8>,
        _ body: (UnsafeBufferPointer<UInt8>) throws(E) -> Void
    ) throws(E) {
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: ",") { end += 1 }
            let element = trimmingWhitespace(UnsafeBufferPointer(rebasing: bytes[start..<end]))
            if !element.isEmpty { try body(element) }
            start = end + 1
        }
    }

    static func trimmingWhitespace(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0
        var end = bytes.count
        while start < end && isWhitespace(bytes[start]) { start += 1 }
        while end > start && isWhitespace(bytes[end - 1]) { end -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
