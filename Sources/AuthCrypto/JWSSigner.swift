import JSON

/// Signs payloads as compact JWS tokens (RFC 7515 §7.1) under one key. The header is the same
/// for every token, so it is encoded once.
struct JWSSigner: Sendable {
    /// The contract's HS256 header `{"alg":"HS256","typ":"JWT"}`; on verification, tokens that
    /// carry exactly these bytes skip header parsing.
    static let hs256HeaderSegment = Array(Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8)).utf8)

    private enum Key: Sendable {
        case hmacSHA256(HMACSHA256)
        case privateKey(PrivateSigningKey)
    }

    private let key: Key
    private let headerSegment: [UInt8]
    private let signatureLength: Int

    init(hmac: HMACSHA256) {
        key = .hmacSHA256(hmac)
        headerSegment = Self.hs256HeaderSegment
        signatureLength = HMACSHA256.size
    }

    /// The header names the key (API.md, Tokens).
    init(privateKey: PrivateSigningKey) {
        key = .privateKey(privateKey)
        headerSegment = Self.headerSegment(for: privateKey.publicKey)
        signatureLength = privateKey.publicKey.signatureLength
    }

    /// The encoded header we write for tokens of `key`: `{"alg":"EdDSA","typ":"JWT","kid":"..."}`.
    static func headerSegment(for key: PublicSigningKey) -> [UInt8] {
        var header = JSONWriter()
        header.beginObject()
        header.member("alg", key.algorithm.rawValue)
        header.member("typ", "JWT")
        header.member("kid", key.keyID)
        header.endObject()
        return Array(Base64URL.encode(header.bytes).utf8)
    }

    /// `header.payload.signature`, the signature computed over the first two segments as sent.
    func sign(payload: [UInt8]) -> String {
        var token = headerSegment
        token.reserveCapacity(token.count + Radix64.encodedCount(payload.count) + Radix64.encodedCount(signatureLength) + 2)
        token.append(UInt8(ascii: "."))
        payload.withUnsafeBytes { Radix64.base64URL.append(encoding: $0, to: &token) }
        let signature = switch key {
        case .hmacSHA256(let mac): mac.authenticate(token)
        case .privateKey(let privateKey): privateKey.sign(token)
        }
        token.append(UInt8(ascii: "."))
        signature.withUnsafeBytes { Radix64.base64URL.append(encoding: $0, to: &token) }
        return String(decoding: token, as: UTF8.self)
    }
}
