import JSON
import FoundationEssentials
import HTTPServer
import Logging
import PostgresClient

/// `POST /api/auth/register` and `POST /api/auth/login`: the two ways to start a session with a password.
struct AccountController: Sendable {
    let database: PostgresDatabase
    let users: UserRepository
    let sessions: SessionRepository
    let hasher: PasswordHasher
    let tokens: TokenIssuer
    let throttle: LoginThrottle
    let cookie: RefreshCookie
    let deviceCookie: DeviceCookie
    let audit: AuditTrail
    let mail: AccountMail
    /// `REQUIRE_EMAIL_VERIFICATION`: registration opens no session, login refuses unverified accounts.
    let requireVerification: Bool

    func register(_ request: HTTPRequest, context: inout AppContext) async throws -> HTTPResponse {
        var body = try RequestBody(request)
        let email = body.string("email").map(EmailAddress.normalize)
        let password = body.string("password")
        let profile = ProfileFields(reading: &body)
        let roleName = body.optionalString("role")
        if let email, let problem = EmailAddress.problem(with: email) { body.reject("email", problem) }
        if let password, let problem = PasswordPolicy.problem(with: password) { body.reject("password", problem) }
        let role = roleName.map { Role(rawValue: $0.uppercased()) } ?? .candidate
        if role == nil || role == .admin { body.reject("role", "must be CANDIDATE or EMPLOYER") }
        try body.validate()
        guard let email, let password, let role else { throw APIError.validation(body.errors) }

        let passwordHash = try await hasher.hash(password)
        let refreshToken = TokenIssuer.newRefreshToken()
        let userAgent = request.headers["User-Agent"]
        let clientIP = context.clientHost
        let origin = context.auditOrigin
        let opensSession = !requireVerification
        let (user, sessionID) = try await database.transaction { transaction -> (User, UUID?) in
            let user = try await users.create(.init(email: email, passwordHash: passwordHash, name: profile.name,
                                                    firstName: profile.firstName, lastName: profile.lastName,
                                                    company: profile.company, role: role), on: transaction)
            // The first verification mail commits with the account, or neither does.
            try await mail.queueVerification(to: user.email, on: transaction)
            let sessionID = opensSession ? try await sessions.createSession(userID: user.id, userAgent: userAgent, ip: clientIP,
                                                             refreshTokenHash: TokenIssuer.hash(refreshToken: refreshToken), on: transaction) : nil
            try await audit.record(AuditEvent(.accountRegistered, user: user.id, details: [("role", role.rawValue)]), from: origin, on: transaction)
            return (user, sessionID)
        }
        mail.queued()
        guard let sessionID else { return .json(VerificationRequired(user: user), status: .created) }
        return TokenResponse(user: user, accessToken: tokens.accessToken(for: user, sessionID: sessionID),
                             refreshToken: refreshToken, expiresIn: tokens.accessTokenTTL).response(status: .created, cookie: cookie)
    }

    func login(_ request: HTTPRequest, context: inout AppContext) async throws -> HTTPResponse {
        var body = try RequestBody(request)
        let email = body.string("email").map(EmailAddress.normalize)
        let password = body.string("password")
        // The limiter keys on the email: an absurd one is refused before any limiter or query sees it.
        if let email, email.utf8.count > EmailAddress.maximumLength {
            body.reject("email", "must be at most \(EmailAddress.maximumLength) characters")
        }
        try body.validate()
        guard let email, let password else { throw APIError.validation(body.errors) }

        let client = context.clientIP
        let found = try await users.findWithPasswordHash(email: email, on: database)
        let knownDevice = found.map { deviceCookie.isValid(Cookies(request)[DeviceCookie.name], for: $0.user.id) } ?? false
        try await throttle.admit(client: client, email: email, exemptFromAccountLimit: knownDevice)

        // Every failure costs one bcrypt (a dummy hash when there is nothing to check), so the
        // time does not tell whether the account exists or has a password.
        let matches = try await hasher.verify(password, against: found?.passwordHash)
        guard matches, let found, let verifiedHash = found.passwordHash else {
            let reason = found == nil ? "unknown email" : found?.passwordHash == nil ? "no password" : "wrong password"
            try await audit.record(AuditEvent(.loginFailed, user: found?.user.id, details: [("reason", reason)]),
                                   from: context.auditOrigin, on: database)
            throw AuthFailure.invalidCredentials
        }
        guard found.user.isActive else {
            try await audit.record(AuditEvent(.loginToDisabledAccount, user: found.user.id), from: context.auditOrigin, on: database)
            throw AuthFailure.accountDisabled
        }
        guard found.user.emailVerified || !requireVerification else {
            try await audit.record(AuditEvent(.loginToUnverifiedEmail, user: found.user.id), from: context.auditOrigin, on: database)
            throw EmailFailure.emailNotVerified
        }
        let strongerHash = hasher.needsRehash(verifiedHash) ? try await hasher.hash(password) : nil
        let refreshToken = TokenIssuer.newRefreshToken()
        let userAgent = request.headers["User-Agent"]
        let clientIP = context.clientHost
        let origin = context.auditOrigin
        let (user, sessionID) = try await database.transaction { transaction in
            // Conditional on the hash just verified: a password change that committed during the
            // bcrypt wins, and this login gets no session.
            guard let user = try await users.recordLogin(id: found.user.id, verifiedHash: verifiedHash, strongerHash: strongerHash,
                                                         on: transaction)
            else { throw AuthFailure.invalidCredentials }
            let sessionID = try await sessions.createSession(userID: user.id, userAgent: userAgent, ip: clientIP,
                                                             refreshTokenHash: TokenIssuer.hash(refreshToken: refreshToken), on: transaction)
            try await audit.record(AuditEvent(.loginSucceeded, user: user.id, details: [
                ("sessionId", sessionID.lowercasedText), ("rehashed", String(strongerHash != nil)),
            ]), from: origin, on: transaction)
            return (user, sessionID)
        }
        try await throttle.succeeded(client: client, email: email)
        var response = TokenResponse(user: user, accessToken: tokens.accessToken(for: user, sessionID: sessionID),
                                     refreshToken: refreshToken, expiresIn: tokens.accessTokenTTL).response(cookie: cookie)
        response.headers.add("Set-Cookie", deviceCookie.issue(for: user.id))
        return response
    }
}

/// Registration under `REQUIRE_EMAIL_VERIFICATION`: the account, and no session until its
/// address is proven.
struct VerificationRequired: JSONWritable {
    let user: User

    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.member("success", true)
        json.name("user")
        user.write(to: &json)
        json.member("verificationRequired", true)
        json.endObject()
    }
}

/// The optional profile fields of register (and of a profile update): trimmed, length-checked.
struct ProfileFields {
    static let limits = [("name", 100), ("firstName", 100), ("lastName", 100), ("company", 200)]

    let name: String?
    let firstName: String?
    let lastName: String?
    let company: String?

    init(reading body: inout RequestBody) {
        var values: [String: String] = [:]
        for (field, limit) in Self.limits {
            guard let value = body.optionalString(field)?.trimmingWhitespace(), !value.isEmpty else { continue }
            if value.count > limit {
                body.reject(field, "must be at most \(limit) characters")
            } else {
                values[field] = value
            }
        }
        firstName = values["firstName"]
        lastName = values["lastName"]
        company = values["company"]
        name = values["name"] ?? [firstName, lastName].compactMap { $0 }.joined(separator: " ").nilIfEmpty
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
