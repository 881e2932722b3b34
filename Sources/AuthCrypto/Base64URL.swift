/// Base64url without padding (RFC 4648 §5), the encoding of JWT segments and refresh tokens.
///
/// Decoding is strict so that a token has exactly one accepted spelling: `=`, `+`, `/`,
/// whitespace, a length ≡ 1 (mod 4) and non-zero unused bits in the last character are rejected.
public enum Base64URL {
    public static func encode<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        bytes.withContiguousBytes { Radix64.base64URL.encode($0) }
    }

    /// The decoded bytes, or nil unless `text` is canonical unpadded base64url.
    public static func decode<Text: StringProtocol>(_ text: Text) -> [UInt8]? {
        var text = String(text)
        return text.withUTF8 { Radix64.base64URL.decode($0) }
    }
}
