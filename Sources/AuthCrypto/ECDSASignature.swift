import CLibCrypto

/// ES256 signatures between their two encodings. JOSE carries the 64 bytes `r || s`, each a
/// 32-byte big-endian integer (RFC 7518 §3.4); OpenSSL reads and writes the DER
/// `SEQUENCE { r INTEGER, s INTEGER }` of X9.62.
enum ECDSASignature {
    static let p256Size = 2 * JWKComponents.p256CoordinateSize

    /// The JOSE form of a DER signature that OpenSSL has just produced.
    static func jose(fromDER der: [UInt8]) -> [UInt8] {
        let signature = der.withUnsafeBufferPointer { der -> OpaquePointer? in
            var input = der.baseAddress
            return d2i_ECDSA_SIG(nil, &input, der.count)
        }
        guard let signature else { fatalError("OpenSSL's own ECDSA signature does not decode: \(OpenSSLErrorQueue.drain())") }
        defer { ECDSA_SIG_free(signature) }
        let half = JWKComponents.p256CoordinateSize
        return [UInt8](unsafeUninitializedCapacity: p256Size) { output, initializedCount in
            guard BN_bn2binpad(ECDSA_SIG_get0_r(signature), output.baseAddress, Int32(half)) == half,
                  BN_bn2binpad(ECDSA_SIG_get0_s(signature), output.baseAddress! + half, Int32(half)) == half else {
                fatalError("an ECDSA P-256 signature component exceeds 32 bytes")
            }
            initializedCount = p256Size
        }
    }

    /// The DER form of a JOSE signature, which must be exactly 64 bytes. Values of r or s that
    /// are zero or not below the group order encode fine and then fail verification.
    static func der(fromJOSE jose: UnsafeRawBufferPointer) -> [UInt8] {
        precondition(jose.count == p256Size, "an ES256 signature is 64 bytes")
        let bytes = jose.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let half = JWKComponents.p256CoordinateSize
        guard let signature = ECDSA_SIG_new(),
              let r = BN_bin2bn(bytes, Int32(half), nil),
              let s = BN_bin2bn(bytes + half, Int32(half), nil),
              ECDSA_SIG_set0(signature, r, s) == 1 else {
            fatalError("building an ECDSA_SIG failed")
        }
        defer { ECDSA_SIG_free(signature) }
        let length = i2d_ECDSA_SIG(signature, nil)
        return [UInt8](unsafeUninitializedCapacity: Int(length)) { output, initializedCount in
            var cursor = output.baseAddress
            guard length > 0, i2d_ECDSA_SIG(signature, &cursor) == length else { fatalError("i2d_ECDSA_SIG failed") }
            initializedCount = Int(length)
        }
    }
}
