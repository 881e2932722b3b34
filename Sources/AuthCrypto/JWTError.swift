/// Why a token failed verification. Callers answer `.expired` with TOKEN_EXPIRED and everything
/// else with INVALID_TOKEN; the cases and their descriptions are for logs.
public enum JWTError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Longer than `JWSVerifier.maximumTokenLength`; rejected before any parsing.
    case tooLong
    /// Not three canonical base64url segments, a header or payload that is not a strict JSON
    /// object, or a signature of the wrong length for its algorithm (a DER-encoded ES256 one).
    case malformed(String)
    /// A header member we refuse, named: `alg` other than the configured algorithm (`none` and,
    /// under an asymmetric key, HS256 included), `typ` other than "JWT", `crit`, a key carried or
    /// pointed to (`jwk`, `jku`, `x5u`, `x5c`), or a missing or non-string `kid` under an
    /// asymmetric algorithm.
    case unsupportedHeader(String)
    /// The header's `kid` names none of the verification keys.
    case unknownKeyID
    /// The signature (HMAC or public-key) does not match the header and payload as received.
    case badSignature
    /// The named claim is missing, has the wrong JSON type, or holds a value we refuse.
    case invalidClaim(String)
    /// `exp` (plus leeway) has passed.
    case expired
    /// `nbf` (minus leeway) is still in the future.
    case notYetValid
    /// `iss` differs from the configured issuer.
    case issuerMismatch
    /// `aud` does not contain the configured audience.
    case audienceMismatch

    public var description: String {
        switch self {
        case .tooLong: "token longer than \(JWSVerifier.maximumTokenLength) bytes"
        case .malformed(let reason): "malformed token: \(reason)"
        case .unsupportedHeader(let reason): "unsupported header: \(reason)"
        case .unknownKeyID: "no verification key has the token's kid"
        case .badSignature: "bad signature"
        case .invalidClaim(let name): "missing or invalid claim \"\(name)\""
        case .expired: "token expired"
        case .notYetValid: "token not yet valid (nbf)"
        case .issuerMismatch: "issuer mismatch"
        case .audienceMismatch: "audience mismatch"
        }
    }
}
