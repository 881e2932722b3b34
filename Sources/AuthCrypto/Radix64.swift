/// Unpadded radix-64 encoding, most significant bits first, over a chosen 64-character alphabet:
/// base64url for JWTs and refresh tokens, bcrypt's own alphabet for salts and digests.
///
/// Decoding is strict so that each byte string has exactly one accepted text: every character
/// must be in the alphabet, a length ≡ 1 (mod 4) is impossible, and the unused low bits of the
/// last character must be zero.
struct Radix64 {
    /// RFC 4648 §5.
    static let base64URL = Radix64(alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    /// The alphabet of bcrypt hash strings (OpenBSD, crypt_blowfish).
    static let bcrypt = Radix64(alphabet: "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    private static let invalid: UInt8 = 0xFF

    private let characters: [UInt8]
    /// Indexed by character byte: its 6-bit value, or `invalid`.
    private let values: [UInt8]

    private init(alphabet: StaticString) {
        characters = alphabet.withUTF8Buffer { Array($0) }
        precondition(characters.count == 64)
        var values = [UInt8](repeating: Self.invalid, count: 256)
        for (value, character) in characters.enumerated() {
            values[Int(character)] = UInt8(value)
        }
        self.values = values
    }

    static func encodedCount(_ byteCount: Int) -> Int {
        (byteCount * 4 + 2) / 3
    }

    /// Appends the encoding of `bytes` to `output`.
    func append(encoding bytes: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: Self.encodedCount(bytes.count)))
        output.withUnsafeMutableBufferPointer { output in
            encode(bytes, into: UnsafeMutableBufferPointer(rebasing: output[start...]))
        }
    }

    func encode(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: Self.encodedCount(bytes.count)) { output in
            encode(bytes, into: output)
            return Self.encodedCount(bytes.count)
        }
    }

    /// Writes exactly `encodedCount(bytes.count)` characters to the start of `output`.
    private func encode(_ bytes: UnsafeRawBufferPointer, into output: UnsafeMutableBufferPointer<UInt8>) {
        characters.withUnsafeBufferPointer { alphabet in
            var input = 0
            var written = 0
            while input < bytes.count {
                let remaining = bytes.count - input
                let group = UInt32(bytes[input]) << 16
                    | (remaining > 1 ? UInt32(bytes[input + 1]) << 8 : 0)
                    | (remaining > 2 ? UInt32(bytes[input + 2]) : 0)
                output[written] = alphabet[Int(group >> 18)]
                output[written + 1] = alphabet[Int(group >> 12 & 0x3F)]
                if remaining > 1 { output[written + 2] = alphabet[Int(group >> 6 & 0x3F)] }
                if remaining > 2 { output[written + 3] = alphabet[Int(group & 0x3F)] }
                input += 3
                written += 4
            }
        }
    }

    /// The decoded bytes, or nil unless `text` is a canonical encoding in this alphabet.
    func decode(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let tail = text.count % 4
        guard tail != 1 else { return nil }
        let decodedCount = text.count / 4 * 3 + (tail == 0 ? 0 : tail - 1)
        var valid = true
        let decoded = values.withUnsafeBufferPointer { values in
            [UInt8](unsafeUninitializedCapacity: decodedCount) { output, initializedCount in
                var input = 0
                var written = 0
                while input < text.count {
                    let remaining = text.count - input
                    let a = values[Int(text[input])]
                    let b = values[Int(text[input + 1])]
                    let c = remaining > 2 ? values[Int(text[input + 2])] : 0
                    let d = remaining > 3 ? values[Int(text[input + 3])] : 0
                    // Bits past the last whole byte must be zero, or two texts would decode alike.
                    let unusedBits = remaining == 2 ? b & 0x0F : remaining == 3 ? c & 0x03 : 0
                    guard a != Self.invalid, b != Self.invalid, c != Self.invalid, d != Self.invalid, unusedBits == 0 else {
                        valid = false
                        break
                    }
                    output[written] = a << 2 | b >> 4
                    if remaining > 2 { output[written + 1] = b << 4 | c >> 2 }
                    if remaining > 3 { output[written + 2] = c << 6 | d }
                    input += 4
                    written += 3
                }
                initializedCount = valid ? decodedCount : 0
            }
        }
        return valid ? decoded : nil
    }
}
