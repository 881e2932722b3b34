import AuthCrypto
import Testing

struct SecureRandomTests {
    @Test func returnsTheRequestedNumberOfBytes() {
        #expect(SecureRandom.bytes(count: 0).isEmpty)
        #expect(SecureRandom.bytes(count: 32).count == 32)
    }

    @Test func successiveCallsDiffer() {
        #expect(SecureRandom.bytes(count: 32) != SecureRandom.bytes(count: 32))
    }

    /// 64 KiB of CSPRNG output uses every byte value; a stuck or short generator would not.
    @Test func outputCoversAllByteValues() {
        #expect(Set(SecureRandom.bytes(count: 65536)).count == 256)
    }
}
