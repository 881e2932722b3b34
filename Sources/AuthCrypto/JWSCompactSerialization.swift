import JSON

/// A compact JWS (RFC 7515 §7.1) split at its two dots, each segment still encoded.
struct JWSCompactSerialization {
    let header: UnsafeBufferPointer<UInt8>
    let payload: UnsafeBufferPointer<UInt8>
    let signature: UnsafeBufferPointer<UInt8>
    /// `header.payload` exactly as received: what the signature covers.
    let signingInput: UnsafeBufferPointer<UInt8>

    init(_ token: UnsafeBufferPointer<UInt8>) throws(JWTError) {
        var firstDot: Int?
        var secondDot: Int?
        for index in token.indices where token[index] == UInt8(ascii: ".") {
            guard firstDot != nil else { firstDot = index; continue }
            guard secondDot == nil else { throw .malformed("more than three segments") }
            secondDot = index
        }
        guard let firstDot, let secondDot else { throw .malformed("fewer than three segments") }
        header = UnsafeBufferPointer(rebasing: token[..<firstDot])
        payload = UnsafeBufferPointer(rebasing: token[(firstDot + 1)..<secondDot])
        signature = UnsafeBufferPointer(rebasing: token[(secondDot + 1)...])
        signingInput = UnsafeBufferPointer(rebasing: token[..<secondDot])
    }

    /// The signature's bytes; a JWS has exactly one accepted spelling, so it must be strict base64url.
    func decodedSignature() throws(JWTError) -> [UInt8] {
        guard let bytes = Radix64.base64URL.decode(signature) else { throw .malformed("signature is not base64url") }
        return bytes
    }

    /// The header or payload `segment`, decoded and parsed as one strict JSON object.
    static func jsonObject(_ segment: UnsafeBufferPointer<UInt8>, named name: String) throws(JWTError) -> [String: JSONValue] {
        guard let json = Radix64.base64URL.decode(segment) else {
            throw .malformed("\(name) is not base64url")
        }
        do {
            return try JSONParser.parseObject(json)
        } catch {
            throw .malformed("\(name) is not a strict JSON object (\(error))")
        }
    }
}
