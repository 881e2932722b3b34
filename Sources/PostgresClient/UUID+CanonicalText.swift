import FoundationEssentials

/// The 8-4-4-4-12 hex form, read and written byte by byte: Foundation's `UUID(uuidString:)` goes
/// through `sscanf` and showed in profiles of the request path, which reads and writes a uuid
/// per row and per parameter.
extension UUID {
    /// Reads `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in either case (PostgreSQL prints lowercase,
    /// `uuidString` uppercase); nil for anything else, braces and missing dashes included.
    public init?(canonicalText text: String) {
        var text = text
        guard let uuid = text.withUTF8({ UUID(canonicalBytes: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = uuid
    }

    /// The same as `init?(canonicalText:)` over UTF-8 bytes.
    init?(canonicalBytes bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 36,
              bytes[8] == UInt8(ascii: "-"), bytes[13] == UInt8(ascii: "-"),
              bytes[18] == UInt8(ascii: "-"), bytes[23] == UInt8(ascii: "-")
        else { return nil }
        var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let valid = withUnsafeMutableBytes(of: &value) { output -> Bool in
            var position = 0
            for index in 0..<16 {
                if position == 8 || position == 13 || position == 18 || position == 23 { position += 1 }
                guard let high = Self.nibble(bytes[position]), let low = Self.nibble(bytes[position + 1]) else { return false }
                output[index] = high << 4 | low
                position += 2
            }
            return true
        }
        guard valid else { return nil }
        self.init(uuid: value)
    }

    /// The canonical lowercase text, as PostgreSQL prints a uuid.
    public var lowercasedText: String {
        String(unsafeUninitializedCapacity: 36) { buffer in
            Self.writeLowercasedText(uuid, into: UnsafeMutableRawBufferPointer(buffer))
            return 36
        }
    }

    /// Appends the 36 bytes of `lowercasedText`, without an intermediate String.
    func appendLowercasedText(to output: inout [UInt8]) {
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: 36))
        output.withUnsafeMutableBytes { buffer in
            Self.writeLowercasedText(uuid, into: UnsafeMutableRawBufferPointer(rebasing: buffer[start..<start + 36]))
        }
    }

    private static let hexDigits: (UInt64, UInt64) = (0x3736_3534_3332_3130, 0x6665_6463_6261_3938)  // "0123456789abcdef"

    private static func writeLowercasedText(_ value: uuid_t, into output: UnsafeMutableRawBufferPointer) {
        withUnsafeBytes(of: hexDigits) { digits in
            withUnsafeBytes(of: value) { input in
                var position = 0
                for index in 0..<16 {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        output[position] = UInt8(ascii: "-")
                        position += 1
                    }
                    output[position] = digits[Int(input[index] >> 4)]
                    output[position + 1] = digits[Int(input[index] & 0x0F)]
                    position += 2
                }
            }
        }
    }

    @inline(__always)
    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit &- UInt8(ascii: "A") &+ 10
        default: return nil
        }
    }
}
