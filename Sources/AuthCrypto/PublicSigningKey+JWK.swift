import JSON

extension PublicSigningKey {
    /// Members of a private or symmetric JWK (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2): a
    /// published key that carries one is a leak or a mistake, never a key to trust.
    static let privateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"]

    /// Reads a public JWK (RFC 7517 §4): `kty` OKP with `crv` Ed25519 and `x`, EC with P-256 `x`
    /// and `y`, or RSA with `n` and `e` of 2048 bits or more. When present, `alg` must be the
    /// key's own algorithm, `use` must be "sig" and `key_ops` must include "verify"; a `kid`
    /// becomes the key's `keyID`.
    public init(jwk: [String: JSONValue]) throws(SigningKeyError) {
        if let member = Self.privateMembers.first(where: { jwk[$0] != nil }) {
            throw .invalidJWK("carries the private member \"\(member)\"")
        }
        let components = try JWKComponents(jwk: jwk)
        switch jwk["alg"] {
        case nil, .string(components.algorithm.rawValue): break
        case .string(let other): throw .unsupportedKey("alg \"\(other)\" for a \(components.algorithm.rawValue) key")
        default: throw .invalidJWK("alg is not a string")
        }
        switch jwk["use"] {
        case nil, .string("sig"): break
        default: throw .unsupportedKey("use other than \"sig\"")
        }
        if let operations = jwk["key_ops"] {
            guard case .array(let operations) = operations, operations.contains(.string("verify")) else {
                throw .unsupportedKey("key_ops without \"verify\"")
            }
        }
        let keyID: String?
        switch jwk["kid"] {
        case nil: keyID = nil
        case .string(let value): keyID = value
        default: throw .invalidJWK("kid is not a string")
        }
        try self.init(checking: EVPKey.publicKey(components), keyID: keyID)
    }

    /// Reads a public JWK from its JSON text.
    public init(jwkJSON: [UInt8]) throws(SigningKeyError) {
        let jwk: [String: JSONValue]
        do {
            jwk = try JSONParser.parseObject(jwkJSON)
        } catch {
            throw .invalidJWK("not a strict JSON object (\(error))")
        }
        try self.init(jwk: jwk)
    }

    /// Writes the key as a public JWK object: the RFC 7638 members, then `kid`, `alg` and
    /// `use: "sig"` (API.md, Signing keys and JWKS). There is no private part to write.
    public func writeJWK(to writer: inout JSONWriter) {
        writer.beginObject()
        components.writeRequiredMembers(to: &writer)
        writer.member("kid", keyID)
        writer.member("alg", algorithm.rawValue)
        writer.member("use", "sig")
        writer.endObject()
    }

    /// The key as public JWK JSON text.
    public func jwkJSON() -> [UInt8] {
        var writer = JSONWriter()
        writeJWK(to: &writer)
        return writer.bytes
    }
}
