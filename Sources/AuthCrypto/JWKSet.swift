/// Verification keys by `kid`, as a JWK Set (RFC 7517 §5) publishes them: ours at
/// `/.well-known/jwks.json`, an OpenID provider's at its `jwks_uri`.
///
/// ```swift
/// let body = JWKSet([signingKey.publicKey] + rotatedKeys).encodedJSON()   // {"keys":[...]}
/// let providerKeys = try JWKSet(json: fetchedBytes)                       // skips keys it cannot use
/// ```
public struct JWKSet: Sendable {
    /// In order, each `keyID` once.
    public let keys: [PublicSigningKey]
    private let keysByID: [String: PublicSigningKey]

    /// A key whose `keyID` an earlier key already has is left out: a `kid` must name one key.
    public init(_ keys: [PublicSigningKey]) {
        var keysByID: [String: PublicSigningKey] = [:]
        var unique: [PublicSigningKey] = []
        for key in keys where keysByID[key.keyID] == nil {
            keysByID[key.keyID] = key
            unique.append(key)
        }
        self.keys = unique
        self.keysByID = keysByID
    }

    public func key(withID keyID: String) -> PublicSigningKey? {
        keysByID[keyID]
    }

    public var keyIDs: [String] {
        keys.map(\.keyID)
    }
}
