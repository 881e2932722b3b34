@testable import AuthCrypto
import Testing

struct HMACSHA256Tests {
    /// RFC 4231 test cases 1, 2 and 6 (a key longer than the block size), and the empty key and
    /// message (Python's hmac module).
    @Test(arguments: [
        ([UInt8](repeating: 0x0B, count: 20), Array("Hi There".utf8),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        ([UInt8](repeating: 0xAA, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        ([], [], "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"),
    ])
    func matchesRFC4231(key: [UInt8], message: [UInt8], mac: String) {
        #expect(Hex.encode(HMACSHA256.authenticate(message: message, key: key)) == mac)
        #expect(Hex.encode(HMACSHA256(key: key).authenticate(message)) == mac)
    }

    /// A keyed instance starts each message from the same keyed state, never a previous message's.
    @Test func aKeyedInstanceIsReusable() {
        let mac = HMACSHA256(key: Array("Jefe".utf8))
        _ = mac.authenticate(Array("something else".utf8))
        #expect(Hex.encode(mac.authenticate(Array("what do ya want for nothing?".utf8)))
            == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func aKeyedInstanceIsSafeToShareAcrossTasks() async {
        let mac = HMACSHA256(key: Array("Jefe".utf8))
        let expected = HMACSHA256.authenticate(message: Array("message".utf8), key: Array("Jefe".utf8))
        let matches = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask { (0..<500).allSatisfy { _ in mac.authenticate(Array("message".utf8)) == expected } }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(matches == 8)
    }
}
