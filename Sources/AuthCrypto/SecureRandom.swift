import CLibCrypto

/// Bytes from OpenSSL's CSPRNG, for salts, token ids and refresh tokens.
public enum SecureRandom {
    /// Returns `count` random bytes.
    ///
    /// A failing CSPRNG stops the process: every caller needs unpredictable bytes, and there is
    /// no safe fallback to hand out instead.
    public static func bytes(count: Int) -> [UInt8] {
        precondition(count >= 0 && count <= Int(Int32.max), "SecureRandom.bytes: count out of range")
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initializedCount in
            if count > 0, RAND_bytes(buffer.baseAddress, Int32(count)) != 1 {
                fatalError("RAND_bytes failed: OpenSSL's CSPRNG cannot produce random bytes")
            }
            initializedCount = count
        }
    }
}
