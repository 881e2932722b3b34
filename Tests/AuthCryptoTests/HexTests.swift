import AuthCrypto
import Testing

struct HexTests {
    @Test func encodesLowercaseTwoDigitsPerByte() {
        #expect(Hex.encode([] as [UInt8]) == "")
        #expect(Hex.encode([0x00, 0x0F, 0xA5, 0xFF] as [UInt8]) == "000fa5ff")
    }
}
