import AuthCrypto

/// The secret, clock and claims the JWT tests share.
enum JWTTestSupport {
    static let secret = Array("a-test-secret-of-at-least-32-bytes!!".utf8)
    static let now = 1_700_000_100
    static let claims = AccessTokenClaims(
        subject: "6f1c2d3e-0000-4000-8000-000000000001",
        email: "ada@example.com",
        role: "CANDIDATE",
        issuedAt: 1_700_000_000,
        expiresAt: 1_700_000_900,
        tokenId: "jti-1",
        sessionId: "sid-1"
    )

    /// A compact JWS with exactly the given header and payload JSON text, signed with HMAC-SHA-256
    /// under `secret`: tokens our signer would never produce.
    static func token(header: String = #"{"alg":"HS256","typ":"JWT"}"#, payload: String, secret: [UInt8] = secret) -> String {
        token(headerSegment: Base64URL.encode(Array(header.utf8)), payloadSegment: Base64URL.encode(Array(payload.utf8)), secret: secret)
    }

    /// A token whose signature is valid over exactly these segment texts, encoded or not.
    static func token(headerSegment: String, payloadSegment: String, secret: [UInt8] = secret) -> String {
        let signingInput = headerSegment + "." + payloadSegment
        return signingInput + "." + Base64URL.encode(HMACSHA256.authenticate(message: Array(signingInput.utf8), key: secret))
    }

    /// Payload JSON text for `claims`' required members, with raw JSON values replaced or removed.
    static func payload(setting replacements: [String: String] = [:], removing removed: Set<String> = []) -> String {
        var members: [(String, String)] = [
            ("sub", #""6f1c2d3e-0000-4000-8000-000000000001""#),
            ("email", #""ada@example.com""#),
            ("role", #""CANDIDATE""#),
            ("type", #""access""#),
            ("iat", "1700000000"),
            ("exp", "1700000900"),
        ]
        members.removeAll { removed.contains($0.0) }
        for (name, value) in replacements.sorted(by: { $0.key < $1.key }) {
            if let index = members.firstIndex(where: { $0.0 == name }) {
                members[index].1 = value
            } else {
                members.append((name, value))
            }
        }
        return "{" + members.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    /// A compact JWS with exactly the given header and payload JSON text, signed by `key`.
    static func token(header: String, payload: String, key: PrivateSigningKey) -> String {
        let signingInput = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(payload.utf8))
        return signingInput + "." + Base64URL.encode(key.sign(Array(signingInput.utf8)))
    }

    /// The header our signer writes for `key`.
    static func header(for key: PrivateSigningKey) -> String {
        #"{"alg":"\#(key.algorithm.rawValue)","typ":"JWT","kid":"\#(key.publicKey.keyID)"}"#
    }
}
