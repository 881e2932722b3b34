/// Why a signing or verification key could not be read, built or used.
public enum SigningKeyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not one PEM block of the expected kind (`PRIVATE KEY`: unencrypted PKCS#8; `PUBLIC KEY`:
    /// SubjectPublicKeyInfo), or its contents do not decode.
    case invalidPEM(String)
    /// A key type, curve, `alg`, `use` or `key_ops` we do not sign or verify with.
    case unsupportedKey(String)
    /// An RSA key under `SignatureAlgorithm.minimumRSABits`.
    case rsaKeyTooSmall(bits: Int)
    /// Key material that OpenSSL's consistency checks refuse (a point off its curve, a private
    /// part that does not match its public part).
    case invalidKey(String)
    /// A JWK whose members are missing, mistyped, not strict base64url, of the wrong length, or
    /// that carries a private part.
    case invalidJWK(String)
    /// A JWK Set that is not a JSON object with a `keys` array (RFC 7517 §5).
    case invalidJWKSet(String)
    /// A verification key of another algorithm than the signing key's: tokens under it could
    /// never verify, since only the configured algorithm is accepted.
    case algorithmMismatch(expected: SignatureAlgorithm, found: SignatureAlgorithm)

    public var description: String {
        switch self {
        case .invalidPEM(let reason): "invalid PEM: \(reason)"
        case .unsupportedKey(let reason): "unsupported key: \(reason)"
        case .rsaKeyTooSmall(let bits): "RSA key of \(bits) bits; at least \(SignatureAlgorithm.minimumRSABits) required"
        case .invalidKey(let reason): "invalid key: \(reason)"
        case .invalidJWK(let reason): "invalid JWK: \(reason)"
        case .invalidJWKSet(let reason): "invalid JWK Set: \(reason)"
        case .algorithmMismatch(let expected, let found): "a \(found.rawValue) key where \(expected.rawValue) is configured"
        }
    }
}
