import AuthCrypto
import FoundationEssentials

extension UUID {
    /// A version 4 UUID from OpenSSL's CSPRNG. Foundation's `UUID()` opens /dev/urandom on every
    /// call here, a syscall pair per token.
    static func random() -> UUID {
        var bytes = SecureRandom.bytes(count: 16)
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
