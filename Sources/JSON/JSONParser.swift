/// A strict RFC 8259 parser for JSON objects: token headers and claims, JWKs, request bodies.
///
/// Strict where laxness has bitten JWT libraries: one top-level object and nothing after it,
/// no duplicate member names (two parsers could each pick a different `alg` or `exp`), valid
/// UTF-8, no unpaired surrogates, no NaN/Infinity, no leading zeros or trailing commas, and a
/// nesting limit so hostile input cannot exhaust the stack. Works in place on the decoded bytes;
/// strings without escapes are validated and copied once.
public struct JSONParser {
    public enum Failure: Error, Equatable, Sendable {
        case syntax
        case duplicateKey
        case invalidUTF8
        case tooDeep
    }

    public static let maximumDepth = 32

    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Parses `bytes` as exactly one JSON object, optionally surrounded by whitespace.
    public static func parseObject(_ bytes: UnsafeBufferPointer<UInt8>) throws(Failure) -> [String: JSONValue] {
        var parser = JSONParser(bytes)
        parser.skipWhitespace()
        guard parser.peek() == UInt8(ascii: "{") else { throw .syntax }
        let object = try parser.parseObject(depth: 1)
        parser.skipWhitespace()
        guard parser.position == bytes.count else { throw .syntax }
        return object
    }

    public static func parseObject(_ bytes: [UInt8]) throws(Failure) -> [String: JSONValue] {
        try bytes.withUnsafeBufferPointer { bytes throws(Failure) in try parseObject(bytes) }
    }

    private func peek() -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
            position += 1
        }
    }

    private mutating func expect(_ byte: UInt8) throws(Failure) {
        guard peek() == byte else { throw .syntax }
        position += 1
    }

    private mutating func parseValue(depth: Int) throws(Failure) -> JSONValue {
        guard depth <= Self.maximumDepth else { throw .tooDeep }
        skipWhitespace()
        switch peek() {
        case UInt8(ascii: "{"): return .object(try parseObject(depth: depth))
        case UInt8(ascii: "["): return .array(try parseArray(depth: depth))
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try parseLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try parseLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try parseLiteral("null"); return .null
        default: return .number(try parseNumber())
        }
    }

    private mutating func parseObject(depth: Int) throws(Failure) -> [String: JSONValue] {
        try expect(UInt8(ascii: "{"))
        // Room for a token's claims without regrowing the table as members arrive.
        var members: [String: JSONValue] = Dictionary(minimumCapacity: 12)
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            return members
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw .syntax }
            let name = try parseString()
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            let value = try parseValue(depth: depth + 1)
            guard members.updateValue(value, forKey: name) == nil else { throw .duplicateKey }
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"): position += 1; return members
            default: throw .syntax
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(Failure) -> [JSONValue] {
        try expect(UInt8(ascii: "["))
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            position += 1
            return elements
        }
        while true {
            elements.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"): position += 1; return elements
            default: throw .syntax
            }
        }
    }

    private mutating func parseLiteral(_ literal: StaticString) throws(Failure) {
        let matched = literal.withUTF8Buffer { literal in
            position + literal.count <= bytes.count
                && literal.indices.allSatisfy { bytes[position + $0] == literal[$0] }
        }
        guard matched else { throw .syntax }
        position += literal.utf8CodeUnitCount
    }

    /// RFC 8259 §6: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func parseNumber() throws(Failure) -> Double {
        let start = position
        if peek() == UInt8(ascii: "-") { position += 1 }
        let integerStart = position
        guard skipDigits() else { throw .syntax }
        if bytes[integerStart] == UInt8(ascii: "0"), position - integerStart > 1 { throw .syntax }
        var isInteger = true
        if peek() == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard skipDigits() else { throw .syntax }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            guard skipDigits() else { throw .syntax }
        }
        // Up to 15 digits is exact in a Double and covers every timestamp; the rest goes to strtod.
        if isInteger, position - integerStart <= 15 {
            var magnitude = 0
            for index in integerStart..<position {
                magnitude = magnitude * 10 + Int(bytes[index] - UInt8(ascii: "0"))
            }
            return Double(integerStart == start ? magnitude : -magnitude)
        }
        guard let value = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)) else {
            throw .syntax
        }
        return value
    }

    /// Skips one or more ASCII digits; false if there were none.
    private mutating func skipDigits() -> Bool {
        let start = position
        while let byte = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
            position += 1
        }
        return position > start
    }

    private mutating func parseString() throws(Failure) -> String {
        try expect(UInt8(ascii: "\""))
        let start = position
        var hasEscapes = false
        while true {
            guard let byte = peek() else { throw .syntax }
            if byte == UInt8(ascii: "\"") { break }
            if byte < 0x20 { throw .syntax }
            if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                position += 1
            }
            position += 1
        }
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<position])
        position += 1
        if hasEscapes {
            return try Self.unescape(raw)
        }
        // ASCII needs no validation, and the generic validating initializer costs a metadata
        // look-up per string: tokens and bodies are mostly ASCII.
        if raw.allSatisfy({ $0 < 0x80 }) { return String(decoding: raw, as: UTF8.self) }
        guard let string = String(validating: raw, as: UTF8.self) else { throw .invalidUTF8 }
        return string
    }

    /// Decodes the escapes of a string's contents (RFC 8259 §7), joining UTF-16 surrogate pairs.
    private static func unescape(_ raw: UnsafeBufferPointer<UInt8>) throws(Failure) -> String {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(raw.count)
        var index = 0
        while index < raw.count {
            let byte = raw[index]
            guard byte == UInt8(ascii: "\\") else {
                decoded.append(byte)
                index += 1
                continue
            }
            guard index + 1 < raw.count else { throw .syntax }
            switch raw[index + 1] {
            case UInt8(ascii: "\""): decoded.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): decoded.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "/"): decoded.append(UInt8(ascii: "/"))
            case UInt8(ascii: "b"): decoded.append(0x08)
            case UInt8(ascii: "f"): decoded.append(0x0C)
            case UInt8(ascii: "n"): decoded.append(0x0A)
            case UInt8(ascii: "r"): decoded.append(0x0D)
            case UInt8(ascii: "t"): decoded.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try codeUnit(raw, at: index + 2)
                index += 6
                if (0xD800...0xDBFF).contains(scalar) {
                    guard index + 1 < raw.count, raw[index] == UInt8(ascii: "\\"), raw[index + 1] == UInt8(ascii: "u") else {
                        throw .invalidUTF8
                    }
                    let low = try codeUnit(raw, at: index + 2)
                    guard (0xDC00...0xDFFF).contains(low) else { throw .invalidUTF8 }
                    scalar = 0x10000 + (scalar - 0xD800) << 10 + (low - 0xDC00)
                    index += 6
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw .invalidUTF8
                }
                guard let scalar = Unicode.Scalar(scalar), let encoded = UTF8.encode(scalar) else { throw .invalidUTF8 }
                decoded.append(contentsOf: encoded)
                continue
            default:
                throw .syntax
            }
            index += 2
        }
        guard let string = String(validating: decoded, as: UTF8.self) else { throw .invalidUTF8 }
        return string
    }

    /// The four hex digits of a `\u` escape starting at `index`.
    private static func codeUnit(_ raw: UnsafeBufferPointer<UInt8>, at index: Int) throws(Failure) -> UInt32 {
        guard index + 4 <= raw.count else { throw .syntax }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = raw[index + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw .syntax
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}
