import Foundation
import HTTPServer
import Logging
import PostgresClient

/// `POST /api/auth/register` and `POST /api/auth/login`: the two ways to start a session.
struct AccountController: Sendable {
    let database: PostgresPool
    let users: UserRepository
    let sessions: SessionRepository
    let hasher: PasswordHasher
    let tokens: TokenIssuer
    let throttle: LoginThrottle
    let cookie: RefreshCookie

    struct RegisterRequest: Decodable {
        let email: String
        let password: String
        let name: String?
        let firstName: String?
        let lastName: String?
        let company: String?
        let role: String?
    }

    struct LoginRequest: Decodable {
        let email: String
        let password: String
    }

    func register(_ request: HTTPRequest, context: RequestContext) throws -> HTTPResponse {
        let body = try request.decodeJSON(RegisterRequest.self)
        let email = EmailAddress.normalize(body.email)
        var problems: [HTTPError.FieldError] = []
        if let problem = EmailAddress.problem(with: email) { problems.append(.init(field: "email", message: problem)) }
        if let problem = PasswordPolicy.problem(with: body.password) { problems.append(.init(field: "password", message: problem)) }
        let limits = [("name", body.name, 100), ("firstName", body.firstName, 100), ("lastName", body.lastName, 100), ("company", body.company, 200)]
        for (field, value, limit) in limits where (value?.count ?? 0) > limit {
            problems.append(.init(field: field, message: "must be at most \(limit) characters"))
        }
        let role = body.role.map { Role(rawValue: $0.uppercased()) } ?? .candidate
        if role == nil || role == .admin {
            problems.append(.init(field: "role", message: "must be CANDIDATE or EMPLOYER"))
        }
        guard problems.isEmpty, let role else { throw HTTPError.validation(problems) }

        let passwordHash = try hasher.hash(body.password)
        let name = AccountController.clean(body.name) ?? [body.firstName, body.lastName].compactMap(AccountController.clean).joined(separator: " ").nilIfEmpty
        let refreshToken = TokenIssuer.newRefreshToken()
        let (user, sessionID) = try database.transaction { connection in
            let user = try users.create(.init(email: email, passwordHash: passwordHash, name: name,
                                              firstName: AccountController.clean(body.firstName), lastName: AccountController.clean(body.lastName),
                                              company: AccountController.clean(body.company), role: role), on: connection)
            let sessionID = try sessions.createSession(userID: user.id, userAgent: request.headers["User-Agent"], ip: context.clientIP,
                                                       refreshTokenHash: TokenIssuer.hash(refreshToken: refreshToken), on: connection)
            return (user, sessionID)
        }
        context.logger.notice("security: account registered", metadata: ["userId": "\(user.id.lowercasedString)", "clientIp": "\(context.clientIP)"])
        return TokenResponse.response(status: .created, user: user, accessToken: tokens.accessToken(for: user, sessionID: sessionID),
                                      refreshToken: refreshToken, expiresIn: tokens.accessTokenTTL, cookie: cookie)
    }

    func login(_ request: HTTPRequest, context: RequestContext) throws -> HTTPResponse {
        let body = try request.decodeJSON(LoginRequest.self)
        let email = EmailAddress.normalize(body.email)
        let ip = context.clientIP
        try throttle.checkAllowed(ip: ip, email: email)

        let found = try database.withConnection { try users.findWithPasswordHash(email: email, on: $0) }
        // Unknown emails (and passwords bcrypt would truncate) are checked against a dummy hash:
        // every failure costs one bcrypt, so timing does not tell which accounts exist.
        let verifiable = PasswordPolicy.fitsBcrypt(body.password)
        guard try hasher.verify(body.password, against: verifiable ? found?.1 : nil), let (user, storedHash) = found else {
            try throttle.recordFailure(ip: ip, email: email)
            context.logger.warning("security: login failed", metadata: [
                "userId": "\(found.map { "\($0.0.id.lowercasedString)" } ?? "-")", "clientIp": "\(ip)", "reason": "\(found == nil ? "unknown email" : "wrong password")",
            ])
            throw AuthError.invalidCredentials
        }
        guard user.isActive else {
            context.logger.warning("security: login to disabled account", metadata: ["userId": "\(user.id.lowercasedString)", "clientIp": "\(ip)"])
            throw AuthError.accountDisabled
        }
        try throttle.recordSuccess(email: email)
        let strongerHash = hasher.needsRehash(storedHash) ? try hasher.hash(body.password) : nil
        let refreshToken = TokenIssuer.newRefreshToken()
        let (updated, sessionID) = try database.transaction { connection in
            let updated = try users.recordLogin(id: user.id, newPasswordHash: strongerHash, on: connection)
            let sessionID = try sessions.createSession(userID: user.id, userAgent: request.headers["User-Agent"], ip: ip,
                                                       refreshTokenHash: TokenIssuer.hash(refreshToken: refreshToken), on: connection)
            return (updated, sessionID)
        }
        context.logger.info("security: login", metadata: ["userId": "\(user.id.lowercasedString)", "clientIp": "\(ip)", "rehashed": "\(strongerHash != nil)"])
        return TokenResponse.response(user: updated, accessToken: tokens.accessToken(for: updated, sessionID: sessionID),
                                      refreshToken: refreshToken, expiresIn: tokens.accessTokenTTL, cookie: cookie)
    }

    private static func clean(_ value: String?) -> String? {
        value?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
