import JSON

/// The public members of a JWK as bytes, one case per key type we verify with: OKP Ed25519
/// (RFC 8037 §2), EC P-256 (RFC 7518 §6.2.1) and RSA (RFC 7518 §6.3.1).
enum JWKComponents: Sendable, Equatable {
    /// The 32-byte Ed25519 public key.
    case ed25519(x: [UInt8])
    /// The point's affine coordinates, 32 bytes each.
    case p256(x: [UInt8], y: [UInt8])
    /// Modulus and public exponent, big-endian in the fewest bytes.
    case rsa(n: [UInt8], e: [UInt8])

    static let p256CoordinateSize = 32
    static let ed25519KeySize = 32

    var algorithm: SignatureAlgorithm {
        switch self {
        case .ed25519: .edDSA
        case .p256: .es256
        case .rsa: .rs256
        }
    }

    /// Writes the key's required members (RFC 7638 §3.2) into an open JSON object, in
    /// lexicographic order: the thumbprint hashes exactly these, and a published JWK starts with them.
    func writeRequiredMembers(to writer: inout JSONWriter) {
        switch self {
        case .ed25519(let x):
            writer.member("crv", "Ed25519")
            writer.member("kty", "OKP")
            writer.member("x", Base64URL.encode(x))
        case .p256(let x, let y):
            writer.member("crv", "P-256")
            writer.member("kty", "EC")
            writer.member("x", Base64URL.encode(x))
            writer.member("y", Base64URL.encode(y))
        case .rsa(let n, let e):
            writer.member("e", Base64URL.encode(e))
            writer.member("kty", "RSA")
            writer.member("n", Base64URL.encode(n))
        }
    }

    /// RFC 7638 §3: base64url of the SHA-256 of the required members, written without whitespace.
    func thumbprint() -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writeRequiredMembers(to: &writer)
        writer.endObject()
        return Base64URL.encode(SHA256.hash(writer.bytes))
    }
}

extension JWKComponents {
    /// Reads the public members of `jwk` for its `kty`. Strict where RFC 7518 is: coordinates
    /// are "the full size of a coordinate for the curve" (§6.2.1.2), RSA integers use "the
    /// minimum number of octets" (§6.3.1.1), and every value is canonical base64url.
    init(jwk: [String: JSONValue]) throws(SigningKeyError) {
        guard case .string(let type) = jwk["kty"] else { throw .invalidJWK("kty is missing or not a string") }
        switch type {
        case "OKP":
            try Self.requireCurve("Ed25519", in: jwk)
            self = .ed25519(x: try Self.bytes("x", in: jwk, count: Self.ed25519KeySize))
        case "EC":
            try Self.requireCurve("P-256", in: jwk)
            self = .p256(
                x: try Self.bytes("x", in: jwk, count: Self.p256CoordinateSize),
                y: try Self.bytes("y", in: jwk, count: Self.p256CoordinateSize)
            )
        case "RSA":
            self = .rsa(n: try Self.unsignedInteger("n", in: jwk), e: try Self.unsignedInteger("e", in: jwk))
        default:
            throw .unsupportedKey("kty \"\(type)\"")
        }
    }

    private static func requireCurve(_ curve: String, in jwk: [String: JSONValue]) throws(SigningKeyError) {
        switch jwk["crv"] {
        case .string(curve): return
        case .string(let other): throw .unsupportedKey("crv \"\(other)\"")
        default: throw .invalidJWK("crv is missing or not a string")
        }
    }

    private static func bytes(_ name: String, in jwk: [String: JSONValue], count: Int? = nil) throws(SigningKeyError) -> [UInt8] {
        guard case .string(let text) = jwk[name] else { throw .invalidJWK("\(name) is missing or not a string") }
        guard let bytes = Base64URL.decode(text) else { throw .invalidJWK("\(name) is not base64url") }
        if let count, bytes.count != count { throw .invalidJWK("\(name) is \(bytes.count) bytes, not \(count)") }
        return bytes
    }

    private static func unsignedInteger(_ name: String, in jwk: [String: JSONValue]) throws(SigningKeyError) -> [UInt8] {
        let bytes = try bytes(name, in: jwk)
        guard let first = bytes.first, first != 0 else { throw .invalidJWK("\(name) is empty or has a leading zero byte") }
        return bytes
    }
}
