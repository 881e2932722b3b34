import HTTPServer
import JSON
import PostgresClient

/// Proving and changing an account's address: `verify-email`, `resend-verification`,
/// `change-email` and `confirm-email`.
struct EmailAddressController: Sendable {
    let database: PostgresDatabase
    let users: UserRepository
    let sessions: SessionRepository
    let tokens: EmailTokenRepository
    let mail: AccountMail
    let hasher: PasswordHasher
    let limiter: MailRequestLimiter
    let throttle: LoginThrottle
    let issuer: TokenIssuer
    let audit: AuditTrail

    struct AlreadyVerified: JSONWritable {
        func write(to json: inout JSONWriter) {
            json.beginObject()
            json.member("success", true)
            json.member("alreadyVerified", true)
            json.endObject()
        }
    }

    /// The link of the verification mail. Needs no session: it may be opened on another device.
    func verifyEmail(_ request: HTTPRequest, context: inout AppContext) async throws -> HTTPResponse {
        let tokenHash = try Self.presentedToken(request)
        let origin = context.auditOrigin
        let user = try await database.transaction { transaction in
            guard let consumed = try await tokens.consume(.verification, hash: tokenHash, on: transaction),
                  let user = try await users.markEmailVerified(id: consumed.userID, on: transaction)
            else { throw EmailFailure.invalidVerificationToken }
            try await audit.record(AuditEvent(.emailVerified, user: user.id), from: origin, on: transaction)
            return user
        }
        return .json(ProfileController.Profile(user: user))
    }

    /// A new verification link, replacing the last one; limited per account and per client.
    func resendVerification(_ request: HTTPRequest, context: inout AppContext) async throws -> HTTPResponse {
        let user = try await users.live(try context.requirePrincipal(), on: database)
        guard !user.emailVerified else { return .json(AlreadyVerified()) }
        try await limiter.admit(client: context.clientIP, target: user.id.lowercasedText)
        let origin = context.auditOrigin
        try await database.transaction { transaction in
            try await mail.queueVerification(to: user.email, on: transaction)
            try await audit.record(AuditEvent(.emailVerificationSent, user: user.id), from: origin, on: transaction)
        }
        mail.queued()
        return .json(PasswordResetController.Accepted(message: "A new verification link is on its way"), status: .accepted)
    }

    /// Mails a confirmation link to the new address and a notice to the current one; nothing
    /// changes until the link is opened. The password is checked as change-password checks it.
    func changeEmail(_ request: HTTPRequest, context: inout AppContext) async throws -> HTTPResponse {
        let principal = try context.requirePrincipal()
        var body = try RequestBody(request)
        let newEmail = body.string("newEmail").map(EmailAddress.normalize)
        let password = body.string("password")
        if let newEmail, let problem = EmailAddress.problem(with: newEmail) { body.reject("newEmail", problem) }
        try body.validate()
        guard let newEmail, let password else { throw APIError.validation(body.errors) }

        let user = try await users.live(principal, on: database)
        guard newEmail != user.email else { throw APIError.validation(field: "newEmail", "is already the account's address") }
        try await throttle.admitPasswordCheck(email: user.email)
        let stored = try await users.passwordHash(id: user.id, on: database)?.hash
        guard try await hasher.verify(password, against: stored), stored != nil else {
            try await audit.record(AuditEvent(.emailChangeFailed, user: user.id), from: context.auditOrigin, on: database)
            throw AuthFailure.invalidCredentials
        }
        try await throttle.passwordCheckSucceeded(email: user.email)
        try await limiter.admit(client: context.clientIP, target: user.id.lowercasedText)
        guard try await !users.exists(email: newEmail, on: database) else { throw AuthFailure.userExists }
        let origin = context.auditOrigin
        try await database.transaction { transaction in
            try await mail.queueEmailChange(for: user, to: newEmail, on: transaction)
            try await audit.record(AuditEvent(.emailChangeRequested, user: user.id, details: [("to", newEmail)]), from: origin, on: transaction)
        }
        mail.queued()
        return .json(PasswordResetController.Accepted(message: "Open the link mailed to the new address to confirm the change"),
                     status: .accepted)
    }

    /// The link of the change mail: the address changes (unless another account took it
    /// meanwhile: 409, and the link stays usable), it counts as verified, every older link of
    /// the account dies, and every session but the caller's (when an access token of this
    /// account comes with the request) is revoked.
    func confirmEmail(_ request: HTTPRequest, context: inout AppContext) async throws -> HTTPResponse {
        let tokenHash = try Self.presentedToken(request)
        let caller = AuthenticateMiddleware.bearerToken(in: request).flatMap { try? issuer.principal(from: $0) }
        let origin = context.auditOrigin
        let user = try await database.transaction { transaction in
            guard let consumed = try await tokens.consume(.emailChange, hash: tokenHash, on: transaction),
                  let before = try await users.find(id: consumed.userID, on: transaction),
                  let user = try await users.changeEmail(id: consumed.userID, to: consumed.email, on: transaction)
            else { throw EmailFailure.invalidVerificationToken }
            let keeping = caller?.userID == user.id ? caller?.sessionID : nil
            let revoked = try await sessions.revokeAll(userID: user.id, keeping: keeping, reason: "email_changed", on: transaction)
            try await tokens.discardLive(userID: user.id, on: transaction)
            try await audit.record(AuditEvent(.emailChanged, user: user.id, details: [
                ("from", before.email), ("to", user.email), ("revokedSessions", String(revoked)),
            ]), from: origin, on: transaction)
            return user
        }
        return .json(ProfileController.Profile(user: user))
    }

    /// The hash of the body's `token`; a token that cannot be ours is refused without a query.
    private static func presentedToken(_ request: HTTPRequest) throws -> [UInt8] {
        var body = try RequestBody(request)
        let token = body.string("token")
        try body.validate()
        guard let token, EmailToken.isPlausible(token) else { throw EmailFailure.invalidVerificationToken }
        return EmailToken.hash(token)
    }
}
