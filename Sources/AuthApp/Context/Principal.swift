import FoundationEssentials

/// Who a verified access token says the caller is. Database routes check its session is still
/// live and read the role afresh (`AccountRepository.live`); token-only routes take it as is.
struct Principal: Sendable {
    let userID: UUID
    let email: String
    let role: Role
    let sessionID: UUID?
    let emailVerified: Bool
    let issuedAt: Int
    let expiresAt: Int
}
