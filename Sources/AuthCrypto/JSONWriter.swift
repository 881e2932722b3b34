/// Writes one flat JSON object (RFC 8259) as UTF-8 bytes: the claims of the tokens we sign.
struct JSONWriter {
    private(set) var bytes: [UInt8] = [UInt8(ascii: "{")]
    private var isFirstMember = true

    init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    mutating func member(_ name: String, _ value: String) {
        appendName(name)
        appendString(value)
    }

    mutating func member(_ name: String, _ value: Int) {
        appendName(name)
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func member(_ name: String, _ values: [String]) {
        appendName(name)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            appendString(value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// The finished object.
    func finished() -> [UInt8] {
        bytes + [UInt8(ascii: "}")]
    }

    private mutating func appendName(_ name: String) {
        if !isFirstMember { bytes.append(UInt8(ascii: ",")) }
        isFirstMember = false
        appendString(name)
        bytes.append(UInt8(ascii: ":"))
    }

    /// RFC 8259 §7: escapes the quote, the backslash and control characters; other UTF-8 passes as is.
    private mutating func appendString(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), byte])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hexDigits = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array("\\u00".utf8) + [hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
