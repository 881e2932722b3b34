import JSON

/// The common part of our JSON grammar and Foundation's, and a writer for round trips
/// (`JSONParserTarget` lists the exclusions and why).
enum JSONGrammarComparison {
    static func isComparable(_ input: [UInt8], ours: Result<[String: JSONValue], JSONParser.Failure>) -> Bool {
        switch ours {
        case .failure(.duplicateKey), .failure(.tooDeep), .failure(.invalidUTF8): return false
        case .success(let object) where !isFinite(.object(object)): return false
        default: break
        }
        guard let first = input.first(where: { !isWhitespace($0) }), first == UInt8(ascii: "{") else { return false }
        return !input.contains(0) && !leavesCommonGrammar(input)
    }

    /// Outside strings, a number literal with an exponent of three digits or more, or over 100
    /// digits before it (where Double overflows or underflows and the two parsers' range rules
    /// differ), or a comma right before `}` or `]` (Foundation accepts trailing commas).
    static func leavesCommonGrammar(_ input: [UInt8]) -> Bool {
        var index = 0
        var inString = false
        var lastSignificant: UInt8 = 0
        func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        while index < input.count {
            let byte = input[index]
            if inString {
                if byte == UInt8(ascii: "\\") { index += 1 } else if byte == UInt8(ascii: "\"") { inString = false }
                index += 1
                continue
            }
            if byte == UInt8(ascii: "\"") {
                inString = true
                index += 1
                continue
            }
            if lastSignificant == UInt8(ascii: ","), byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") { return true }
            if !isWhitespace(byte) { lastSignificant = byte }
            guard isDigit(byte) else {
                index += 1
                continue
            }
            var mantissaDigits = 0
            while index < input.count, isDigit(input[index]) || input[index] == UInt8(ascii: ".") {
                mantissaDigits += 1
                index += 1
            }
            if mantissaDigits > 100 { return true }
            if index < input.count, input[index] | 0x20 == UInt8(ascii: "e") {
                index += 1
                if index < input.count, input[index] == UInt8(ascii: "+") || input[index] == UInt8(ascii: "-") { index += 1 }
                var exponentDigits = 0
                while index < input.count, isDigit(input[index]) {
                    // Leading zeros do not make an exponent large.
                    if exponentDigits > 0 || input[index] != UInt8(ascii: "0") { exponentDigits += 1 }
                    index += 1
                }
                if exponentDigits >= 3 { return true }
            }
        }
        return false
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    static func isFinite(_ value: JSONValue) -> Bool {
        switch value {
        case .number(let number): number.isFinite
        case .array(let elements): elements.allSatisfy(isFinite)
        case .object(let members): members.values.allSatisfy(isFinite)
        case .null, .bool, .string: true
        }
    }

    static func write(_ object: [String: JSONValue]) -> [UInt8] {
        var writer = JSONWriter()
        write(.object(object), to: &writer)
        return writer.bytes
    }

    private static func write(_ value: JSONValue, to writer: inout JSONWriter) {
        switch value {
        case .null: writer.null()
        case .bool(let bool): writer.value(bool)
        case .number(let number): writer.value(number)
        case .string(let string): writer.value(string)
        case .array(let elements):
            writer.beginArray()
            for element in elements { write(element, to: &writer) }
            writer.endArray()
        case .object(let members):
            writer.beginObject()
            for (name, member) in members {
                writer.name(name)
                write(member, to: &writer)
            }
            writer.endObject()
        }
    }
}
