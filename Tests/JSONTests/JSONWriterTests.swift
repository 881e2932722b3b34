import Foundation
import JSON
import Testing

struct JSONWriterTests {
    @Test func writesNestedContainersWithCommasOnlyBetweenElements() {
        var json = JSONWriter()
        json.beginObject()
        json.member("s", "x")
        json.member("n", -42)
        json.member("t", true)
        json.member("absent", nil as String?)
        json.name("a")
        json.beginArray()
        json.value(1)
        json.beginObject()
        json.endObject()
        json.beginArray()
        json.endArray()
        json.value(2.5)
        json.endArray()
        json.name("o")
        json.beginObject()
        json.member("k", ["v", "w"])
        json.endObject()
        json.endObject()
        #expect(String(decoding: json.bytes, as: UTF8.self)
            == #"{"s":"x","n":-42,"t":true,"absent":null,"a":[1,{},[],2.5],"o":{"k":["v","w"]}}"#)
    }

    @Test func escapesWhatRFC8259Requires() {
        var json = JSONWriter()
        json.value("quote\" backslash\\ newline\n tab\t nul\u{0} bell\u{7} é😀")
        #expect(String(decoding: json.bytes, as: UTF8.self) == #""quote\" backslash\\ newline\n tab\t nul\u0000 bell\u0007 é😀""#)
    }

    @Test(arguments: [0, 7, -1, 1_700_000_900, Int.max, Int.min])
    func writesIntegersExactly(value: Int) {
        var json = JSONWriter()
        json.value(value)
        #expect(String(decoding: json.bytes, as: UTF8.self) == String(value))
    }

    @Test func writesDoublesAndRefusesNonFiniteOnes() {
        var json = JSONWriter()
        json.beginArray()
        json.value(3.0)
        json.value(0.125)
        json.value(Double.nan)
        json.value(-Double.infinity)
        json.endArray()
        #expect(String(decoding: json.bytes, as: UTF8.self) == "[3,0.125,null,null]")
    }

    @Test func whatItWritesParsesBackToTheSameValues() throws {
        var json = JSONWriter()
        json.beginObject()
        json.member("text", "line\nbreak \u{1F} \"q\"")
        json.member("number", 12.75)
        json.endObject()
        let parsed = try JSONParser.parseObject(json.bytes)
        #expect(parsed == ["text": .string("line\nbreak \u{1F} \"q\""), "number": .number(12.75)])
        let foundation = try JSONSerialization.jsonObject(with: Data(json.bytes)) as? [String: Any]
        #expect(foundation?["text"] as? String == "line\nbreak \u{1F} \"q\"")
    }
}
