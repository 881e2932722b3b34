import CLibCrypto

/// A public key that verifies JWS signatures: Ed25519 (EdDSA), P-256 (ES256) or RSA of 2048
/// bits or more (RS256). Built from SubjectPublicKeyInfo PEM, from a JWK, or as the public half
/// of a `PrivateSigningKey`; it never holds a private part.
///
/// ```swift
/// let key = try PublicSigningKey(pem: pemText)
/// key.keyID                                   // the RFC 7638 thumbprint, the `kid` of its tokens
/// key.isValidSignature(signature, for: signingInput)
/// ```
public struct PublicSigningKey: Sendable {
    public let algorithm: SignatureAlgorithm
    /// The `kid` that selects this key: the `kid` of the JWK it was read from, else its thumbprint.
    public let keyID: String
    /// The RFC 7638 JWK thumbprint (SHA-256, base64url), the `kid` of our own keys.
    public let thumbprint: String
    let components: JWKComponents
    /// The only signature length the algorithm admits: 64 bytes for EdDSA and ES256 (RFC 8032
    /// §5.1.6, RFC 7518 §3.4), the modulus length for RS256 (RFC 8017 §8.2.2 step 1).
    let signatureLength: Int
    private let key: EVPKey
    private let verifier: EVPSignatureContext

    /// Reads a SubjectPublicKeyInfo PEM block (`-----BEGIN PUBLIC KEY-----`).
    public init(pem: String) throws(SigningKeyError) {
        try self.init(checking: EVPKey.publicKey(pem: pem), keyID: nil)
    }

    /// Accepts `key` (which must hold no private part) only if it is of a kind we verify with
    /// and passes OpenSSL's public-key checks.
    init(checking key: EVPKey, keyID: String?) throws(SigningKeyError) {
        let algorithm = try key.signatureAlgorithm()
        try key.checkPublicKey()
        self.init(checkedKey: key, algorithm: algorithm, keyID: keyID)
    }

    init(checkedKey key: EVPKey, algorithm: SignatureAlgorithm, keyID: String?) {
        self.algorithm = algorithm
        self.key = key
        components = key.publicComponents(algorithm)
        thumbprint = components.thumbprint()
        self.keyID = keyID ?? thumbprint
        signatureLength = algorithm == .rs256 ? Int(EVP_PKEY_get_size(key.pointer)) : ECDSASignature.p256Size
        verifier = EVPSignatureContext(key: key, algorithm: algorithm, purpose: .verifying)
    }

    /// The key as SubjectPublicKeyInfo PEM, as `JWT_VERIFY_KEY_FILES` holds it.
    public func pemSPKI() -> String {
        key.spkiPEM()
    }

    /// Whether `signature`, in its JWS form (`r || s` for ES256, never DER), signs `message`
    /// under this key. A signature of any other length is invalid.
    public func isValidSignature<Signature: Collection<UInt8>, Message: Collection<UInt8>>(
        _ signature: Signature, for message: Message
    ) -> Bool {
        guard signature.count == signatureLength else { return false }
        return signature.withContiguousBytes { signature in
            message.withContiguousBytes { message in
                guard algorithm == .es256 else { return verifier.verify(signature, of: message) }
                return ECDSASignature.der(fromJOSE: signature).withUnsafeBytes { verifier.verify($0, of: message) }
            }
        }
    }
}
