import CLibCrypto

/// One OpenSSL EVP_PKEY, freed with its owner.
///
/// Keys are complete when an initialiser here returns and nothing modifies them afterwards:
/// signing and verification contexts, exports and parameter reads take the key through a const
/// pointer or a new (atomic) reference, and OpenSSL guards the key's internal caches with the
/// key's own lock. openssl-threads(7) allows such use from many threads at once, hence the
/// unchecked Sendable.
final class EVPKey: @unchecked Sendable {
    /// A PEM key file is a few kilobytes (RSA at 16384 bits: 13 KiB); anything longer is not one.
    static let maximumPEMLength = 64 * 1024

    let pointer: OpaquePointer

    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// The key of an unencrypted PKCS#8 PEM block (`-----BEGIN PRIVATE KEY-----`).
    static func privateKey(pem: String) throws(SigningKeyError) -> EVPKey {
        guard pem.utf8.count <= maximumPEMLength else { throw .invalidPEM("longer than \(maximumPEMLength) bytes") }
        let info = MemoryBIO.reading(pem) { PEM_read_bio_PKCS8_PRIV_KEY_INFO($0, nil, refusePassphrase, nil) }
        guard let info else {
            throw .invalidPEM("""
                no unencrypted PKCS#8 block (-----BEGIN PRIVATE KEY-----; convert others with \
                `openssl pkcs8 -topk8 -nocrypt`): \(OpenSSLErrorQueue.drain())
                """)
        }
        defer { PKCS8_PRIV_KEY_INFO_free(info) }
        guard let key = EVP_PKCS82PKEY(info) else { throw .invalidPEM("PKCS#8 key does not decode: \(OpenSSLErrorQueue.drain())") }
        return EVPKey(taking: key)
    }

    /// The key of a SubjectPublicKeyInfo PEM block (`-----BEGIN PUBLIC KEY-----`).
    static func publicKey(pem: String) throws(SigningKeyError) -> EVPKey {
        guard pem.utf8.count <= maximumPEMLength else { throw .invalidPEM("longer than \(maximumPEMLength) bytes") }
        guard let key = MemoryBIO.reading(pem, { PEM_read_bio_PUBKEY($0, nil, refusePassphrase, nil) }) else {
            throw .invalidPEM("no SubjectPublicKeyInfo block (-----BEGIN PUBLIC KEY-----): \(OpenSSLErrorQueue.drain())")
        }
        return EVPKey(taking: key)
    }

    /// A new key from OpenSSL's CSPRNG: Ed25519, P-256, or RSA of the minimum size.
    ///
    /// Failure stops the process, as SecureRandom does: it means the CSPRNG or OpenSSL is broken.
    static func generate(_ algorithm: SignatureAlgorithm) -> EVPKey {
        let typeName = switch algorithm {
        case .edDSA: "ED25519"
        case .es256: "EC"
        case .rs256: "RSA"
        }
        guard let context = EVP_PKEY_CTX_new_from_name(nil, typeName, nil) else {
            fatalError("OpenSSL has no \(typeName) key generator")
        }
        defer { EVP_PKEY_CTX_free(context) }
        var configured = EVP_PKEY_keygen_init(context) == 1
        switch algorithm {
        case .edDSA: break
        case .es256: configured = configured && EVP_PKEY_CTX_set_group_name(context, "P-256") == 1
        case .rs256: configured = configured && EVP_PKEY_CTX_set_rsa_keygen_bits(context, Int32(SignatureAlgorithm.minimumRSABits)) == 1
        }
        var key: OpaquePointer?
        guard configured, EVP_PKEY_generate(context, &key) == 1, let key else {
            fatalError("generating a \(algorithm.rawValue) key failed: \(OpenSSLErrorQueue.drain())")
        }
        return EVPKey(taking: key)
    }

    /// The algorithm this key signs for. Any other key type, an EC key on another curve (or
    /// with explicit curve parameters, which name no curve) and an RSA key under 2048 bits throw.
    func signatureAlgorithm() throws(SigningKeyError) -> SignatureAlgorithm {
        if EVP_PKEY_is_a(pointer, "ED25519") == 1 { return .edDSA }
        if EVP_PKEY_is_a(pointer, "EC") == 1 {
            var name = [CChar](repeating: 0, count: 64)
            var length = 0
            guard EVP_PKEY_get_group_name(pointer, &name, name.count, &length) == 1 else {
                OpenSSLErrorQueue.clear()
                throw .unsupportedKey("EC key without a named curve")
            }
            let curve = String(decoding: name.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard curve == "prime256v1" else { throw .unsupportedKey("EC curve \(curve); only P-256 (ES256)") }
            return .es256
        }
        // An RSA-PSS key is a type of its own and falls through to the refusal below.
        if EVP_PKEY_is_a(pointer, "RSA") == 1 {
            let bits = Int(EVP_PKEY_get_bits(pointer))
            guard bits >= SignatureAlgorithm.minimumRSABits else { throw .rsaKeyTooSmall(bits: bits) }
            return .rs256
        }
        let typeName = EVP_PKEY_get0_type_name(pointer).map { String(cString: $0) } ?? "unknown"
        throw .unsupportedKey("key type \(typeName); only Ed25519, P-256 and RSA")
    }

    /// Checks that a private key's parts belong together (EVP_PKEY_pairwise_check): a damaged
    /// key file would otherwise sign tokens that no one can verify.
    func checkKeyPair() throws(SigningKeyError) {
        try check("private key does not match its public key", EVP_PKEY_pairwise_check)
    }

    /// Checks a public key (EVP_PKEY_public_check): a point on its curve and not the identity, an
    /// odd RSA modulus with no small factors.
    func checkPublicKey() throws(SigningKeyError) {
        try check("public key fails OpenSSL's checks", EVP_PKEY_public_check)
    }

    private func check(_ failure: String, _ function: (OpaquePointer?) -> Int32) throws(SigningKeyError) {
        guard let context = EVP_PKEY_CTX_new_from_pkey(nil, pointer, nil) else { fatalError("EVP_PKEY_CTX_new_from_pkey failed") }
        defer { EVP_PKEY_CTX_free(context) }
        guard function(context) == 1 else { throw .invalidKey("\(failure) (\(OpenSSLErrorQueue.drain()))") }
    }

    /// A key with only this key's public part, through its SubjectPublicKeyInfo DER, so that a
    /// public key derived from a private one cannot carry or leak the private part.
    func publicOnly() -> EVPKey {
        let length = i2d_PUBKEY(pointer, nil)
        guard length > 0 else { fatalError("i2d_PUBKEY failed: \(OpenSSLErrorQueue.drain())") }
        var der = [UInt8](repeating: 0, count: Int(length))
        let key = der.withUnsafeMutableBufferPointer { der -> OpaquePointer? in
            var output = der.baseAddress
            guard i2d_PUBKEY(pointer, &output) == length else { return nil }
            var input = UnsafePointer(der.baseAddress)
            return d2i_PUBKEY(nil, &input, Int(length))
        }
        guard let key else { fatalError("re-reading a public key's own DER failed: \(OpenSSLErrorQueue.drain())") }
        return EVPKey(taking: key)
    }

    /// The private key as unencrypted PKCS#8 PEM.
    func pkcs8PEM() -> String {
        MemoryBIO.written { PEM_write_bio_PKCS8PrivateKey($0, pointer, nil, nil, 0, nil, nil) }
    }

    /// The public key as SubjectPublicKeyInfo PEM.
    func spkiPEM() -> String {
        MemoryBIO.written { PEM_write_bio_PUBKEY($0, pointer) }
    }
}

/// The PEM readers' passphrase callback. OpenSSL's default prompts on the terminal; a key file
/// that asks for a passphrase is refused instead.
private func refusePassphrase(_ buffer: UnsafeMutablePointer<CChar>?, _ size: Int32, _ writing: Int32, _ context: UnsafeMutableRawPointer?) -> Int32 {
    -1
}
