import HTTPServer
import JSON
import PostgresClient

/// `POST /api/auth/forgot-password` and `POST /api/auth/reset-password`: recovering an account
/// with nothing but its mailbox.
struct PasswordResetController: Sendable {
    let database: PostgresDatabase
    let users: UserRepository
    let sessions: SessionRepository
    let tokens: EmailTokenRepository
    let mail: AccountMail
    let hasher: PasswordHasher
    let limiter: MailRequestLimiter
    let throttle: LoginThrottle
    let audit: AuditTrail

    /// The answer of the requests that send mail: the same whatever happened.
    struct Accepted: JSONWritable {
        let message: String

        func write(to json: inout JSONWriter) {
            json.beginObject()
            json.member("success", true)
            json.member("message", message)
            json.endObject()
        }
    }

    /// 202 with one body for any address. Known, unknown or disabled, the request runs the same
    /// statements and writes the same rows (the limiters, a lookup for the audit trail, one
    /// outbox row, the audit row); the sender issues the token later, or drops the row when
    /// there is no active account. Nothing is sent inline, so neither the answer nor its time
    /// tells whether the account exists.
    func forgotPassword(_ request: HTTPRequest, context: inout AppContext) async throws -> HTTPResponse {
        var body = try RequestBody(request)
        let email = body.string("email").map(EmailAddress.normalize)
        if let email, let problem = EmailAddress.problem(with: email) { body.reject("email", problem) }
        try body.validate()
        guard let email else { throw APIError.validation(body.errors) }

        try await limiter.admit(client: context.clientIP, target: email)
        let origin = context.auditOrigin
        try await database.transaction { transaction in
            let userID = try await users.activeID(email: email, on: transaction)
            try await mail.queuePasswordReset(to: email, on: transaction)
            try await audit.record(AuditEvent(.passwordResetRequested, user: userID, details: [("accountFound", String(userID != nil))]),
                                   from: origin, on: transaction)
        }
        mail.queued()
        return .json(Accepted(message: "If an account uses this address, a link to reset its password is on its way"), status: .accepted)
    }

    /// Sets the new password, revokes every session, marks the address verified. No tokens are
    /// issued: the user signs in with the new password.
    func resetPassword(_ request: HTTPRequest, context: inout AppContext) async throws -> HTTPResponse {
        var body = try RequestBody(request)
        let token = body.string("token")
        let newPassword = body.string("newPassword")
        if let newPassword, let problem = PasswordPolicy.problem(with: newPassword) { body.reject("newPassword", problem) }
        try body.validate()
        guard let token, let newPassword else { throw APIError.validation(body.errors) }
        guard EmailToken.isPlausible(token) else { throw EmailFailure.invalidResetToken }

        let tokenHash = EmailToken.hash(token)
        // Checked before the bcrypt so that junk costs none; checked again, and used, below.
        guard try await tokens.isLive(.passwordReset, hash: tokenHash, on: database) else { throw EmailFailure.invalidResetToken }
        let passwordHash = try await hasher.hash(newPassword)
        let origin = context.auditOrigin
        let user = try await database.transaction { transaction in
            guard let consumed = try await tokens.consume(.passwordReset, hash: tokenHash, on: transaction),
                  let user = try await users.resetPassword(id: consumed.userID, hash: passwordHash, on: transaction)
            else { throw EmailFailure.invalidResetToken }
            let revoked = try await sessions.revokeAll(userID: user.id, reason: "password_reset", on: transaction)
            try await tokens.discardLive(userID: user.id, on: transaction)
            try await audit.record(AuditEvent(.passwordReset, user: user.id, details: [("revokedSessions", String(revoked))]),
                                   from: origin, on: transaction)
            return user
        }
        // The owner proved the mailbox: failed guesses against the account no longer lock it.
        try await throttle.passwordCheckSucceeded(email: user.email)
        return .json(RefreshController.Done(message: "Password reset; sign in with the new password"))
    }
}
