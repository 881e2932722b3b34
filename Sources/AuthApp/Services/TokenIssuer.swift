import AuthCrypto
import FoundationEssentials
import Glibc

/// Mints access tokens and refresh tokens, and verifies access tokens.
struct TokenIssuer: Sendable {
    let jwt: AccessTokenJWT
    let accessTokenTTL: Int
    /// Derives a refresh token's successor. Only a token's hash is stored, so the successor
    /// must be recomputable from the token itself to hand the same one out again within the
    /// reuse interval. The key comes from `SERVER_SECRET`, never from the JWT secret: partner
    /// services hold that one, and with it and one refresh token could derive its successors.
    private let successorKey: HMACSHA256
    private let clock: @Sendable () -> Int

    init(jwt: AccessTokenJWT, serverSecret: [UInt8], accessTokenTTL: Int,
         clock: @escaping @Sendable () -> Int = { time(nil) }) {
        self.jwt = jwt
        self.accessTokenTTL = accessTokenTTL
        successorKey = HMACSHA256(key: ServerKeys.derive("refresh-token successor v1", from: serverSecret))
        self.clock = clock
    }

    var now: Int { clock() }

    func accessToken(for user: User, sessionID: UUID) -> String {
        let now = clock()
        let userID = user.id.lowercasedText
        return jwt.sign(AccessTokenClaims(
            subject: userID, userId: userID, email: user.email, emailVerified: user.emailVerified, role: user.role.rawValue,
            issuedAt: now, expiresAt: now + accessTokenTTL, tokenId: UUID.random().lowercasedText,
            sessionId: sessionID.lowercasedText, issuer: jwt.issuer, audience: jwt.audience.map { [$0] } ?? []
        ))
    }

    func verify(_ token: String) throws(JWTError) -> AccessTokenClaims {
        try jwt.verify(token, now: clock())
    }

    /// A new refresh token: 32 bytes from the CSPRNG, base64url.
    static func newRefreshToken() -> String {
        Base64URL.encode(SecureRandom.bytes(count: 32))
    }

    func successor(of refreshToken: String) -> String {
        Base64URL.encode(successorKey.authenticate(Array(refreshToken.utf8)))
    }

    /// What the database stores in place of a refresh token.
    static func hash(refreshToken: String) -> [UInt8] {
        SHA256.hash(Array(refreshToken.utf8))
    }
}
