/// `application/x-www-form-urlencoded` bodies, as the OAuth 2.0 token endpoint takes them
/// (RFC 6749 Appendix B).
public enum FormURLEncoding {
    /// `name=value` pairs joined by `&`: letters, digits and `*-._` as they are, a space as `+`,
    /// every other UTF-8 byte as `%XX`.
    public static func encode(_ fields: [(name: String, value: String)]) -> String {
        fields.map { "\(escape($0.name))=\(escape($0.value))" }.joined(separator: "&")
    }

    public static func escape(_ text: String) -> String {
        let hexDigits = Array("0123456789ABCDEF".utf8)
        var escaped: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "*"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"):
                escaped.append(byte)
            case UInt8(ascii: " "):
                escaped.append(UInt8(ascii: "+"))
            default:
                escaped += [UInt8(ascii: "%"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: escaped, as: UTF8.self)
    }
}
