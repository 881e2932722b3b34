import AuthCrypto
import Testing

struct Base64URLTests {
    /// RFC 4648 §10 test vectors, in the URL alphabet without padding.
    @Test(arguments: [
        ("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"),
        ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy"),
    ])
    func matchesRFC4648Vectors(plain: String, encoded: String) {
        #expect(Base64URL.encode(Array(plain.utf8)) == encoded)
        #expect(Base64URL.decode(encoded) == Array(plain.utf8))
    }

    /// The characters that differ from standard base64: 62 is '-', 63 is '_'.
    @Test func usesTheURLAlphabet() {
        #expect(Base64URL.encode([0xFB, 0xFF] as [UInt8]) == "-_8")
        #expect(Base64URL.decode("-_8") == [0xFB, 0xFF])
    }

    @Test func roundTripsEveryLengthAndByte() {
        for length in 0...66 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ length) }
            #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes, "length \(length)")
        }
        let allBytes = (0...255).map { UInt8($0) }
        #expect(Base64URL.decode(Base64URL.encode(allBytes)) == allBytes)
    }

    @Test(arguments: [
        "Zg==", "Zg=", "Zm9vYg==",  // padding
        "+/8", "Zm9v+A", "Zm9v/A",  // standard alphabet
        " Zg", "Zg ", "Zm\n9v", "Zm9v\t",  // whitespace
        "Z", "Zm9vY", "Zm9vYmFyZ",  // length ≡ 1 (mod 4)
        "Zh", "Zm9", "Zm9vYh",  // non-zero unused bits: a second spelling of "f", "fo", "foob"
        "Zm9v.", "Zm9vÿ", "Zm\u{0}v",
    ])
    func rejectsNonCanonicalText(text: String) {
        #expect(Base64URL.decode(text) == nil)
    }
}
