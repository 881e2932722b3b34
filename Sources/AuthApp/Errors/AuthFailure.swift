import HTTPServer

/// The contract's failures of authentication and account rules, each with its status and code.
enum AuthFailure: Error, APIErrorConvertible, Equatable {
    case noToken
    case tokenExpired
    case invalidToken
    /// The token's session was revoked (logout, password change, reuse, an admin): database
    /// routes refuse it at once.
    case sessionRevoked
    case invalidCredentials
    /// Login with the right password to a deactivated account.
    case accountDisabled
    /// A database route found the account deactivated after the token was issued.
    case accountDisabledSinceTokenIssued
    case invalidRefreshToken
    case tokenReused
    case userExists
    case forbidden
    case sessionNotFound
    case tooManyAttempts(retryAfter: Int)
    case rateLimited(retryAfter: Int)
    /// A cookie-carrying request from an origin that is not ours or an allowed frontend.
    case originNotAllowed

    var apiError: APIError {
        switch self {
        case .noToken: APIError(.unauthorized, code: "NO_TOKEN", message: "Send an access token as Authorization: Bearer <token>")
        case .tokenExpired: APIError(.unauthorized, code: "TOKEN_EXPIRED", message: "The access token has expired")
        case .invalidToken: APIError(.unauthorized, code: "INVALID_TOKEN", message: "The access token is not valid")
        case .sessionRevoked: APIError(.unauthorized, code: "INVALID_TOKEN", message: "The session of this access token has ended; sign in again")
        case .invalidCredentials: APIError(.unauthorized, code: "INVALID_CREDENTIALS", message: "Email or password is incorrect")
        case .accountDisabled: APIError(.forbidden, code: "ACCOUNT_DISABLED", message: "This account is disabled")
        case .accountDisabledSinceTokenIssued: APIError(.unauthorized, code: "ACCOUNT_DISABLED", message: "This account is disabled")
        case .invalidRefreshToken:
            APIError(.unauthorized, code: "INVALID_REFRESH_TOKEN", message: "The refresh token is invalid, expired or revoked")
        case .tokenReused:
            APIError(.unauthorized, code: "TOKEN_REUSED", message: "This refresh token was already used; every session of its login has been revoked")
        case .userExists: APIError(.conflict, code: "USER_EXISTS", message: "An account with this email already exists")
        case .forbidden: APIError(.forbidden, code: "FORBIDDEN", message: "This needs the ADMIN role")
        case .sessionNotFound: APIError(.notFound, code: "SESSION_NOT_FOUND", message: "No such session")
        case .tooManyAttempts(let retryAfter):
            APIError(.tooManyRequests, code: "TOO_MANY_ATTEMPTS", message: "Too many failed attempts; retry in \(retryAfter) seconds",
                     headers: [("Retry-After", String(retryAfter))])
        case .rateLimited(let retryAfter):
            APIError(.tooManyRequests, code: "RATE_LIMITED", message: "Too many requests; retry in \(retryAfter) seconds",
                     headers: [("Retry-After", String(retryAfter))])
        case .originNotAllowed:
            APIError(.forbidden, code: "ORIGIN_NOT_ALLOWED", message: "Requests that carry the refresh cookie must come from this site or an allowed frontend")
        }
    }
}
