import JSON

extension JWKSet {
    /// Reads a JWK Set document, keeping every key that `PublicSigningKey(jwk:)` accepts and
    /// skipping the rest, as RFC 7517 §5 asks of keys whose type is not understood, that miss
    /// required members or whose values are out of range: a provider may publish keys for other
    /// algorithms or for encryption next to the ones its ID tokens use.
    public init(json: [UInt8]) throws(SigningKeyError) {
        let document: [String: JSONValue]
        do {
            document = try JSONParser.parseObject(json)
        } catch {
            throw .invalidJWKSet("not a strict JSON object (\(error))")
        }
        guard case .array(let members) = document["keys"] else { throw .invalidJWKSet("no \"keys\" array") }
        self.init(members.compactMap { member in
            guard case .object(let jwk) = member else { return nil }
            return try? PublicSigningKey(jwk: jwk)
        })
    }

    /// `{"keys":[...]}` with each key's public JWK; `{"keys":[]}` when empty.
    public func encodedJSON() -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.name("keys")
        writer.beginArray()
        for key in keys {
            key.writeJWK(to: &writer)
        }
        writer.endArray()
        writer.endObject()
        return writer.bytes
    }
}
