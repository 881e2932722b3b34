import HTTPServer

/// The contract's auth failures, each with its status and machine code.
enum AuthError {
    static let noToken = HTTPError(.unauthorized, code: "NO_TOKEN", message: "Send an access token as Authorization: Bearer <token>")
    static let tokenExpired = HTTPError(.unauthorized, code: "TOKEN_EXPIRED", message: "The access token has expired")
    static let invalidToken = HTTPError(.unauthorized, code: "INVALID_TOKEN", message: "The access token is not valid")
    static let invalidCredentials = HTTPError(.unauthorized, code: "INVALID_CREDENTIALS", message: "Email or password is incorrect")
    static let accountDisabled = HTTPError(.forbidden, code: "ACCOUNT_DISABLED", message: "This account is disabled")
    /// A protected route found the account deactivated after the token was issued.
    static let accountDisabledToken = HTTPError(.unauthorized, code: "ACCOUNT_DISABLED", message: "This account is disabled")
    static let invalidRefreshToken = HTTPError(.unauthorized, code: "INVALID_REFRESH_TOKEN", message: "The refresh token is invalid, expired or revoked")
    static let tokenReused = HTTPError(.unauthorized, code: "TOKEN_REUSED", message: "This refresh token was already used; every session of its login has been revoked")
    static let userExists = HTTPError(.conflict, code: "USER_EXISTS", message: "An account with this email already exists")
    static let forbidden = HTTPError(.forbidden, code: "FORBIDDEN", message: "This needs the ADMIN role")
    static let sessionNotFound = HTTPError(.notFound, code: "SESSION_NOT_FOUND", message: "No such session")

    static func tooManyAttempts(retryAfter: Int) -> HTTPError {
        HTTPError(.tooManyRequests, code: "TOO_MANY_ATTEMPTS", message: "Too many failed attempts; retry in \(retryAfter) seconds",
                  headers: HTTPHeaders([("Retry-After", String(retryAfter))]))
    }

    static func rateLimited(retryAfter: Int) -> HTTPError {
        HTTPError(.tooManyRequests, code: "RATE_LIMITED", message: "Too many requests; retry in \(retryAfter) seconds",
                  headers: HTTPHeaders([("Retry-After", String(retryAfter))]))
    }
}
