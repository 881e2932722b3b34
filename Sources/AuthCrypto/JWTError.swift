/// Why a token failed verification. Callers answer `.expired` with TOKEN_EXPIRED and everything
/// else with INVALID_TOKEN; the cases and their descriptions are for logs.
public enum JWTError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Longer than `HS256JWT.maximumTokenLength`; rejected before any parsing.
    case tooLong
    /// Not three canonical base64url segments, or a header or payload that is not a strict JSON object.
    case malformed(String)
    /// A header other than `alg` "HS256" with an optional `typ` "JWT" and no `crit`.
    case unsupportedHeader(String)
    /// The HMAC does not match the header and payload as received.
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
        case .tooLong: "token longer than \(HS256JWT.maximumTokenLength) bytes"
        case .malformed(let reason): "malformed token: \(reason)"
        case .unsupportedHeader(let reason): "unsupported header: \(reason)"
        case .badSignature: "bad signature"
        case .invalidClaim(let name): "missing or invalid claim \"\(name)\""
        case .expired: "token expired"
        case .notYetValid: "token not yet valid (nbf)"
        case .issuerMismatch: "issuer mismatch"
        case .audienceMismatch: "audience mismatch"
        }
    }
}
