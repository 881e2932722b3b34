/// A private key that signs JWS tokens: Ed25519 (EdDSA), P-256 (ES256) or RSA of 2048 bits or
/// more (RS256), read from PKCS#8 PEM or freshly generated.
///
/// ```swift
/// let key = PrivateSigningKey.generate(.edDSA)
/// let pem = key.pemPKCS8()          // for a key file that only its owner may read (mode 0600)
/// print(key.publicKey.keyID)        // the `kid` its tokens carry
/// let same = try PrivateSigningKey(pem: pem)
/// ```
public struct PrivateSigningKey: Sendable, CustomStringConvertible {
    public let algorithm: SignatureAlgorithm
    /// The public half, whose `keyID` (the RFC 7638 thumbprint) names this key in token headers.
    public let publicKey: PublicSigningKey
    private let key: EVPKey
    private let signer: EVPSignatureContext

    /// Reads an unencrypted PKCS#8 PEM block (`-----BEGIN PRIVATE KEY-----`) and checks that its
    /// private and public parts agree.
    public init(pem: String) throws(SigningKeyError) {
        let key = try EVPKey.privateKey(pem: pem)
        let algorithm = try key.signatureAlgorithm()
        try key.checkKeyPair()
        self.init(key: key, algorithm: algorithm)
    }

    /// A new key from OpenSSL's CSPRNG: Ed25519, P-256, or RSA of 2048 bits.
    public static func generate(_ algorithm: SignatureAlgorithm) -> PrivateSigningKey {
        PrivateSigningKey(key: EVPKey.generate(algorithm), algorithm: algorithm)
    }

    private init(key: EVPKey, algorithm: SignatureAlgorithm) {
        self.key = key
        self.algorithm = algorithm
        publicKey = PublicSigningKey(checkedKey: key.publicOnly(), algorithm: algorithm, keyID: nil)
        signer = EVPSignatureContext(key: key, algorithm: algorithm, purpose: .signing)
    }

    /// The key as unencrypted PKCS#8 PEM: the secret itself, for a file only its owner can read.
    public func pemPKCS8() -> String {
        key.pkcs8PEM()
    }

    /// The JWS signature of `message`: 64 bytes for EdDSA, `r || s` (64 bytes) for ES256, the
    /// modulus length for RS256.
    public func sign<Message: Collection<UInt8>>(_ message: Message) -> [UInt8] {
        let signature = message.withContiguousBytes { signer.sign($0) }
        return algorithm == .es256 ? ECDSASignature.jose(fromDER: signature) : signature
    }

    /// Names the key without any of its secret, for logs.
    public var description: String {
        "PrivateSigningKey(\(algorithm.rawValue), kid \(publicKey.keyID))"
    }
}
