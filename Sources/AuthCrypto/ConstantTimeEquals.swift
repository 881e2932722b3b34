import CLibCrypto

/// Compares two byte strings in time that depends only on their length (CRYPTO_memcmp), so a
/// MAC or hash comparison does not leak how many leading bytes matched.
///
/// Different lengths answer `false` at once: lengths here are public (fixed-size digests).
public func constantTimeEquals<A: Collection<UInt8>, B: Collection<UInt8>>(_ a: A, _ b: B) -> Bool {
    a.withContiguousBytes { a in
        b.withContiguousBytes { b in
            guard a.count == b.count else { return false }
            guard let left = a.baseAddress, let right = b.baseAddress else { return true }
            return CRYPTO_memcmp(left, right, a.count) == 0
        }
    }
}
