import AuthCrypto
import Testing

struct ConstantTimeEqualsTests {
    @Test func equalBytesAreEqual() {
        #expect(constantTimeEquals([1, 2, 3] as [UInt8], [1, 2, 3] as [UInt8]))
        #expect(constantTimeEquals([] as [UInt8], [] as [UInt8]))
        #expect(constantTimeEquals("abc".utf8, [0x61, 0x62, 0x63] as [UInt8]))
    }

    @Test func anyDifferingByteMakesThemUnequal() {
        #expect(!constantTimeEquals([1, 2, 3] as [UInt8], [0, 2, 3] as [UInt8]))
        #expect(!constantTimeEquals([1, 2, 3] as [UInt8], [1, 2, 4] as [UInt8]))
    }

    @Test func differentLengthsAreUnequal() {
        #expect(!constantTimeEquals([1, 2, 3] as [UInt8], [1, 2] as [UInt8]))
        #expect(!constantTimeEquals([] as [UInt8], [0] as [UInt8]))
    }
}
