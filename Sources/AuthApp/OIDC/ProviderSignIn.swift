import FoundationEssentials
import PostgresClient

/// Turns a verified ID token into a session, by the linking rules of API.md ("Sign in with a
/// provider"), in one transaction:
/// 1. a known `(provider, sub)` is that user;
/// 2. otherwise the provider must vouch for the email (`email_verified: true`);
/// 3. an account with that email is linked; when its own email was never verified, its
///    password is removed, its sessions revoked and its pending mail links voided first: the
///    provider proved the mailbox, whoever registered the address first did not (they may be
///    an attacker waiting for the owner to sign in with a provider, holding a password, a
///    session or an email-change link to take the account back with);
/// 4. otherwise a new account: CANDIDATE, no password, email verified, names from the token.
struct ProviderSignIn: Sendable {
    let database: PostgresDatabase
    let users: UserRepository
    let identities: IdentityRepository
    let sessions: SessionRepository
    let emailTokens: EmailTokenRepository
    let audit: AuditTrail

    struct Outcome: Sendable {
        let user: User
        let sessionID: UUID
        let refreshToken: String
    }

    func signIn(provider: String, token: IDToken, userAgent: String?, clientIP: String, origin: AuditTrail.Origin) async throws -> Outcome {
        do {
            return try await attempt(provider: provider, token: token, userAgent: userAgent, clientIP: clientIP, origin: origin)
        } catch let error where (error as? PostgresError)?.isUniqueViolation == true || (error as? AuthFailure) == .userExists {
            // A concurrent first sign-in of the same identity or address created the rows this
            // one was about to: run the rules again, now against them.
            return try await attempt(provider: provider, token: token, userAgent: userAgent, clientIP: clientIP, origin: origin)
        }
    }

    private func attempt(provider: String, token: IDToken, userAgent: String?, clientIP: String, origin: AuditTrail.Origin) async throws -> Outcome {
        let refreshToken = TokenIssuer.newRefreshToken()
        return try await database.transaction { transaction in
            let (account, how) = try await account(provider: provider, token: token, origin: origin, on: transaction)
            guard account.isActive else { throw OAuthFailure.accountDisabled }
            let user = try await users.recordProviderLogin(id: account.id, on: transaction)
            let sessionID = try await sessions.createSession(userID: user.id, userAgent: userAgent, ip: clientIP,
                                                             refreshTokenHash: TokenIssuer.hash(refreshToken: refreshToken), on: transaction)
            try await audit.record(AuditEvent(.providerSignIn, user: user.id, details: [
                ("provider", provider), ("sessionId", sessionID.lowercasedText), ("account", how),
            ]), from: origin, on: transaction)
            return Outcome(user: user, sessionID: sessionID, refreshToken: refreshToken)
        }
    }

    /// The account the token signs in to, linking or creating it; `how` says which, for the trail.
    private func account(provider: String, token: IDToken, origin: AuditTrail.Origin,
                         on transaction: PostgresTransaction) async throws -> (User, how: String) {
        if let user = try await identities.user(provider: provider, subject: token.subject, on: transaction) {
            return (user, "linked before")
        }
        guard token.emailVerified, let rawEmail = token.email else { throw OAuthFailure.emailNotVerified }
        let email = EmailAddress.normalize(rawEmail)
        guard EmailAddress.problem(with: email) == nil else { throw OAuthFailure.tokenInvalid(reason: "ID token: unusable email") }

        if let existing = try await users.lock(email: email, on: transaction) {
            guard existing.isActive else { throw OAuthFailure.accountDisabled }
            // A concurrent first sign-in of this same identity may have committed since the
            // look-up above (each statement sees the latest commits): then it is this account's.
            if let linked = try await identities.user(provider: provider, subject: token.subject, on: transaction) {
                return (linked, "linked before")
            }
            guard try await !identities.hasIdentity(userID: existing.id, provider: provider, on: transaction) else {
                throw OAuthFailure.identityConflict
            }
            var revoked = 0
            if !existing.emailVerified {
                try await users.removePasswordAndVerify(id: existing.id, on: transaction)
                revoked = try await sessions.revokeAll(userID: existing.id, reason: "email_proven_by_provider", on: transaction)
                try await emailTokens.discardLive(userID: existing.id, on: transaction)
            }
            try await identities.link(userID: existing.id, provider: provider, subject: token.subject, email: email, on: transaction)
            try await audit.record(AuditEvent(.identityLinked, user: existing.id, details: [
                ("provider", provider), ("tookOverUnverifiedAccount", String(!existing.emailVerified)), ("revokedSessions", String(revoked)),
            ]), from: origin, on: transaction)
            return (existing, existing.emailVerified ? "linked to verified account" : "took over unverified account")
        }

        let names = Self.names(from: token)
        let user = try await users.create(.init(email: email, passwordHash: nil, name: names.name, firstName: names.firstName,
                                                lastName: names.lastName, company: nil, role: .candidate, emailVerified: true), on: transaction)
        try await identities.link(userID: user.id, provider: provider, subject: token.subject, email: email, on: transaction)
        try await audit.record(AuditEvent(.accountRegistered, user: user.id, details: [("role", Role.candidate.rawValue), ("provider", provider)]),
                               from: origin, on: transaction)
        return (user, "created")
    }

    /// The token's names, trimmed and cut to the lengths registration allows.
    private static func names(from token: IDToken) -> (name: String?, firstName: String?, lastName: String?) {
        func clean(_ value: String?) -> String? {
            value.map { String($0.trimmingWhitespace().prefix(100)) }?.nilIfEmpty
        }
        let firstName = clean(token.givenName)
        let lastName = clean(token.familyName)
        return (clean(token.name) ?? [firstName, lastName].compactMap { $0 }.joined(separator: " ").nilIfEmpty, firstName, lastName)
    }
}
