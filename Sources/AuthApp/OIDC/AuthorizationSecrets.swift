import AuthCrypto

/// The secrets of one authorization request. `state` travels through the provider and back;
/// the nonce (OpenID Connect Core §3.1.2.1) and the PKCE verifier (RFC 7636 §4.1) are MACs of
/// it under a key derived from `SERVER_SECRET`, so the server stores neither, and knowing a
/// state (it is in URLs) reveals neither.
struct AuthorizationSecrets: Sendable {
    private let nonceKey: HMACSHA256
    private let verifierKey: HMACSHA256

    init(serverSecret: [UInt8]) {
        nonceKey = HMACSHA256(key: ServerKeys.derive("oidc nonce v1", from: serverSecret))
        verifierKey = HMACSHA256(key: ServerKeys.derive("oidc pkce verifier v1", from: serverSecret))
    }

    /// 32 random bytes, base64url: a new state, or a new browser binding.
    static func newRandom() -> String {
        Base64URL.encode(SecureRandom.bytes(count: 32))
    }

    /// What the database keeps of a state or a binding.
    static func hash(_ value: String) -> [UInt8] {
        SHA256.hash(Array(value.utf8))
    }

    func nonce(for state: String) -> String {
        Base64URL.encode(nonceKey.authenticate(Array(state.utf8)))
    }

    /// 43 characters of base64url, the shortest verifier RFC 7636 allows, from 256 bits.
    func verifier(for state: String) -> String {
        Base64URL.encode(verifierKey.authenticate(Array(state.utf8)))
    }

    /// `BASE64URL(SHA256(verifier))`: the S256 `code_challenge` (RFC 7636 §4.2).
    static func challenge(for verifier: String) -> String {
        Base64URL.encode(SHA256.hash(Array(verifier.utf8)))
    }
}
