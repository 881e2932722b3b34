import JSON
import Testing

struct JSONParserTests {
    private func parse(_ text: String) throws(JSONParser.Failure) -> [String: JSONValue] {
        try Array(text.utf8).withUnsafeBufferPointer { bytes throws(JSONParser.Failure) in try JSONParser.parseObject(bytes) }
    }

    @Test func parsesEveryKindOfValue() throws {
        let object = try parse(#" {"s":"x","n":-12.5e1,"i":0,"t":true,"f":false,"z":null,"a":[1,[],{}],"o":{"k":"v"}} "#)
        #expect(object["s"] == .string("x"))
        #expect(object["n"] == .number(-125))
        #expect(object["i"] == .number(0))
        #expect(object["t"] == .bool(true))
        #expect(object["f"] == .bool(false))
        #expect(object["z"] == .null)
        #expect(object["a"] == .array([.number(1), .array([]), .object([:])]))
        #expect(object["o"] == .object(["k": .string("v")]))
        #expect(try parse("{}").isEmpty)
    }

    @Test func decodesEveryEscape() throws {
        let object = try parse(#"{"e":"\"\\\/\b\f\n\r\t\u0041\u00e9\u20AC\ud83d\ude00"}"#)
        #expect(object["e"] == .string("\"\\/\u{8}\u{C}\n\r\tAé€😀"))
    }

    @Test func keepsRawUTF8() throws {
        #expect(try parse(#"{"k":"Grüße 😀"}"#)["k"] == .string("Grüße 😀"))
    }

    @Test func parsesLargeAndFractionalNumbersExactlyEnough() throws {
        #expect(try parse(#"{"n":1700000900}"#)["n"] == .number(1_700_000_900))
        #expect(try parse(#"{"n":123456789012345678}"#)["n"] == .number(1.2345678901234568e17))
        #expect(try parse(#"{"n":1.5E+3}"#)["n"] == .number(1500))
        #expect(try parse(#"{"n":-0.25}"#)["n"] == .number(-0.25))
    }

    @Test(arguments: [
        "", " ", "[]", #""x""#, "1", "null",  // not an object
        "{", "}", #"{"a"}"#, #"{"a":}"#, #"{"a":1,}"#, #"{,}"#, #"{"a":1 "b":2}"#, #"{'a':1}"#, #"{a:1}"#,
        #"{"a":1}x"#, #"{"a":1}{}"#,  // trailing content
        #"{"a":01}"#, #"{"a":-}"#, #"{"a":1.}"#, #"{"a":.5}"#, #"{"a":1e}"#, #"{"a":+1}"#, #"{"a":0x10}"#,
        #"{"a":NaN}"#, #"{"a":Infinity}"#, #"{"a":-Infinity}"#, #"{"a":tru}"#, #"{"a":nul}"#, #"{"a":True}"#,
        #"{"a":[1,]}"#, #"{"a":[1 2]}"#,
        #"{"a":"\x"}"#, #"{"a":"\u12"}"#, #"{"a":"\u12G4"}"#, #"{"a":"unterminated}"#, "{\"a\":\"tab\there\"}", "{\"a\":\"line\nbreak\"}",
        "{\"a\":1}\u{0}",
    ])
    func rejectsSyntaxErrors(text: String) {
        #expect(throws: JSONParser.Failure.syntax) { try parse(text) }
    }

    @Test(arguments: [#"{"a":"\ud83d"}"#, #"{"a":"\ude00"}"#, #"{"a":"\ud83dx"}"#, #"{"a":"\ud83d\u0041"}"#])
    func rejectsUnpairedSurrogates(text: String) {
        #expect(throws: JSONParser.Failure.invalidUTF8) { try parse(text) }
    }

    @Test(arguments: [[0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D], [0x7B, 0x22, 0xC3, 0x22, 0x3A, 0x31, 0x7D],
                      [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x7D]] as [[UInt8]])
    func rejectsInvalidUTF8(bytes: [UInt8]) {
        #expect(throws: JSONParser.Failure.invalidUTF8) {
            try bytes.withUnsafeBufferPointer { bytes throws(JSONParser.Failure) in try JSONParser.parseObject(bytes) }
        }
    }

    @Test func rejectsDuplicateNamesEvenWhenSpelledDifferently() {
        #expect(throws: JSONParser.Failure.duplicateKey) { try parse(#"{"a":1,"a":1}"#) }
        #expect(throws: JSONParser.Failure.duplicateKey) { try parse(#"{"a":1,"\u0061":2}"#) }
        #expect(throws: JSONParser.Failure.duplicateKey) { try parse(#"{"o":{"x":1,"x":2}}"#) }
    }

    @Test func limitsNesting() throws {
        let depth = JSONParser.maximumDepth
        let deepest = #"{"a":"# + String(repeating: "[", count: depth - 1) + String(repeating: "]", count: depth - 1) + "}"
        #expect(try parse(deepest).count == 1)
        let tooDeep = #"{"a":"# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
        #expect(throws: JSONParser.Failure.tooDeep) { try parse(tooDeep) }
        #expect(throws: JSONParser.Failure.tooDeep) { try parse(#"{"a":"# + String(repeating: "[", count: 5000)) }
    }
}
