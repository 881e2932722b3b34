/// The claims of an access token (API.md, Tokens). Times are Unix seconds.
public struct AccessTokenClaims: Sendable, Equatable {
    /// `sub`: the user id, always a string.
    public var subject: String
    /// `userId`: the same user id, for clients that read it by this name.
    public var userId: String
    public var email: String
    /// `email_verified`: whether the user proved the mailbox; false when a token leaves it out.
    public var emailVerified: Bool
    public var role: String
    /// `type`: always "access" for tokens that verify.
    public var type: String
    /// `iat`
    public var issuedAt: Int
    /// `exp`
    public var expiresAt: Int
    /// `nbf`
    public var notBefore: Int?
    /// `jti`
    public var tokenId: String?
    /// `sid`: the session (one login) the token belongs to.
    public var sessionId: String?
    /// `iss`
    public var issuer: String?
    /// `aud`: a string or an array of strings in JSON; empty when absent.
    public var audience: [String]

    public static let accessType = "access"

    /// `userId` defaults to `subject`.
    public init(
        subject: String,
        userId: String? = nil,
        email: String,
        emailVerified: Bool = false,
        role: String,
        type: String = AccessTokenClaims.accessType,
        issuedAt: Int,
        expiresAt: Int,
        notBefore: Int? = nil,
        tokenId: String? = nil,
        sessionId: String? = nil,
        issuer: String? = nil,
        audience: [String] = []
    ) {
        self.subject = subject
        self.userId = userId ?? subject
        self.email = email
        self.emailVerified = emailVerified
        self.role = role
        self.type = type
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.notBefore = notBefore
        self.tokenId = tokenId
        self.sessionId = sessionId
        self.issuer = issuer
        self.audience = audience
    }
}
