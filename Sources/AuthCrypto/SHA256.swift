import CLibCrypto

/// SHA-256 (FIPS 180-4) through OpenSSL.
public enum SHA256 {
    public static let digestSize = 32

    /// Fetched once: OpenSSL 3 otherwise looks the algorithm up by name on every digest (and on
    /// every signature context that names SHA-256). An EVP_MD is immutable once fetched and only
    /// ever passed to OpenSSL as const, which openssl-threads(7) allows from any number of
    /// threads; the `let` is initialised exactly once, hence nonisolated(unsafe).
    nonisolated(unsafe) static let algorithm: OpaquePointer = {
        guard let algorithm = EVP_MD_fetch(nil, "SHA256", nil) else {
            fatalError("OpenSSL has no SHA256 implementation")
        }
        return algorithm
    }()

    /// The 32-byte digest of `data`.
    public static func hash<Bytes: Collection<UInt8>>(_ data: Bytes) -> [UInt8] {
        data.withContiguousBytes { input in
            [UInt8](unsafeUninitializedCapacity: digestSize) { output, initializedCount in
                guard EVP_Digest(input.baseAddress, input.count, output.baseAddress, nil, algorithm, nil) == 1 else {
                    fatalError("EVP_Digest(SHA256) failed")
                }
                initializedCount = digestSize
            }
        }
    }
}
