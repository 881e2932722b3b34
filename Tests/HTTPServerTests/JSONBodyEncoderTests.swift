import Foundation
import Testing
@testable import HTTPServer

@Suite("JSONBodyEncoder")
struct JSONBodyEncoderTests {
    struct Inner: Encodable, Equatable {
        let flag: Bool
        let small: Int8
        let big: UInt64
        let ratio: Float
    }

    struct Outer: Encodable {
        let success = true
        let text: String
        let missing: String?
        let explicitNull: String?
        let when: Date
        let inner: Inner
        let list: [Inner]
        let numbers: [Double]
        let empty: [String]
        let nested: [String: [Int]]

        enum CodingKeys: String, CodingKey {
            case success, text, missing, explicitNull, when, inner, list, numbers, empty, nested
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(success, forKey: .success)
            try container.encode(text, forKey: .text)
            try container.encodeIfPresent(missing, forKey: .missing)
            try container.encode(explicitNull, forKey: .explicitNull)
            try container.encode(when, forKey: .when)
            try container.encode(inner, forKey: .inner)
            try container.encode(list, forKey: .list)
            try container.encode(numbers, forKey: .numbers)
            try container.encode(empty, forKey: .empty)
            try container.encode(nested, forKey: .nested)
        }
    }

    @Test func writesValidJSONInEncodingOrder() throws {
        let value = Outer(
            text: "quote \" backslash \\ newline \n tab \t bell \u{7} é 😀 </script>", missing: nil, explicitNull: nil,
            when: Date(timeIntervalSince1970: 1_795_318_753.25),
            inner: Inner(flag: false, small: -8, big: UInt64.max, ratio: 0.5),
            list: [Inner(flag: true, small: 1, big: 2, ratio: 3)], numbers: [1.5, 2, -0.25], empty: [], nested: ["a": [1, 2]]
        )
        let bytes = try JSONBodyEncoder.encode(value)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix(#"{"success":true,"text":"quote \" backslash \\ newline \n tab \t bell \u0007 é 😀 </script>","explicitNull":null,"when":"2026-11-22T03:39:13.250Z","#))
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(parsed["missing"] == nil)
        #expect(parsed["explicitNull"] is NSNull)
        let inner = try #require(parsed["inner"] as? [String: Any])
        #expect(inner["flag"] as? Bool == false)
        #expect(inner["small"] as? Int == -8)
        #expect((inner["big"] as? NSNumber)?.uint64Value == UInt64.max)
        #expect(inner["ratio"] as? Double == 0.5)
        #expect((parsed["list"] as? [[String: Any]])?.first?["flag"] as? Bool == true)
        #expect(parsed["numbers"] as? [Double] == [1.5, 2, -0.25])
        #expect((parsed["empty"] as? [Any])?.isEmpty == true)
        #expect(parsed["nested"] as? [String: [Int]] == ["a": [1, 2]])
    }

    @Test func topLevelArraysAndScalars() throws {
        #expect(String(decoding: try JSONBodyEncoder.encode([[1], [], [2, 3]]), as: UTF8.self) == "[[1],[],[2,3]]")
        #expect(String(decoding: try JSONBodyEncoder.encode("x"), as: UTF8.self) == #""x""#)
        #expect(throws: JSONBodyEncoder.InvalidValue.self) { try JSONBodyEncoder.encode([Double.nan]) }
    }
}
