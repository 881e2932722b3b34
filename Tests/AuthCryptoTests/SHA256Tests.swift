@testable import AuthCrypto
import Testing

struct SHA256Tests {
    /// FIPS 180-2 Appendix B examples and the empty message.
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func matchesFIPSExamples(message: String, digest: String) {
        #expect(Hex.encode(SHA256.hash(Array(message.utf8))) == digest)
        #expect(Hex.encode(SHA256.hash(message.utf8)) == digest)
    }

    /// FIPS 180-2 B.3, fed as a non-contiguous collection to exercise the copying path.
    @Test func hashesAMillionAs() {
        #expect(Hex.encode(SHA256.hash(repeatElement(UInt8(ascii: "a"), count: 1_000_000)))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
