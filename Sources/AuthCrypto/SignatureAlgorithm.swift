/// The asymmetric JWS algorithms we sign and verify with, spelled as a JWS header's `alg`
/// (RFC 7518 §3.1, RFC 8037 §3.1). Each names exactly one kind of key, so a key's algorithm
/// follows from the key itself.
public enum SignatureAlgorithm: String, Sendable, CaseIterable {
    /// EdDSA over Ed25519 (RFC 8032 §5.1); signatures are 64 bytes.
    case edDSA = "EdDSA"
    /// ECDSA over P-256 with SHA-256; signatures are the 64 bytes `r || s` (RFC 7518 §3.4).
    case es256 = "ES256"
    /// RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3), with keys of 2048 bits or more.
    case rs256 = "RS256"

    /// RFC 7518 §3.3: "A key of size 2048 bits or larger MUST be used with these algorithms."
    public static let minimumRSABits = 2048

    /// The digest EVP_DigestSign hashes the message with; Ed25519 hashes internally (pure EdDSA).
    var digest: OpaquePointer? {
        switch self {
        case .edDSA: nil
        case .es256, .rs256: SHA256.algorithm
        }
    }
}
