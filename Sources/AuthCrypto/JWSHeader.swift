/// The members of a JWS protected header (RFC 7515 §4.1) that decide how it is verified, read
/// with the refusals every verifier here applies.
struct JWSHeader {
    /// Header members that carry a key or say where to fetch one (RFC 7515 §4.1.3-§4.1.6). They
    /// are refused, never followed: a key that arrives with the token proves nothing about who
    /// signed it, and fetching a URL an attacker chose is a request forgery (RFC 8725 §3.10).
    static let keyCarryingMembers = ["jwk", "jku", "x5u", "x5c"]

    /// `alg`, still to be matched against the algorithms the verifier allows.
    let algorithm: String
    /// `kid`, when present.
    let keyID: String?

    init(_ segment: UnsafeBufferPointer<UInt8>) throws(JWTError) {
        let header = try JWSCompactSerialization.jsonObject(segment, named: "header")
        guard case .string(let algorithm) = header["alg"] else { throw .unsupportedHeader("alg") }
        if let type = header["typ"], type != .string("JWT") { throw .unsupportedHeader("typ") }
        // RFC 7515 §4.1.11: we implement no extensions, so no critical one can be honoured.
        if header["crit"] != nil { throw .unsupportedHeader("crit") }
        if let member = Self.keyCarryingMembers.first(where: { header[$0] != nil }) { throw .unsupportedHeader(member) }
        switch header["kid"] {
        case nil: keyID = nil
        case .string(let value): keyID = value
        default: throw .unsupportedHeader("kid")
        }
        self.algorithm = algorithm
    }
}
