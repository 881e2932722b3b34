import HTTPServer

/// The failures of signing in with a provider. The redirect flow sends the browser to
/// `OAUTH_SUCCESS_URL?error=CODE`; the JSON flows answer the same code in the error shape.
/// `reason` is for the security log only: never a code, a token or a secret.
enum OAuthFailure: Error, APIErrorConvertible, Equatable {
    case unknownProvider
    /// The state is unknown, expired, used, or not bound to this browser's `oauthState` cookie.
    case stateInvalid(reason: String)
    /// The provider (or the user there) refused the authorization.
    case denied(reason: String)
    /// Discovery, the JWKS or the token endpoint failed, timed out or answered nonsense.
    case exchangeFailed(reason: String)
    /// The token endpoint refused the code itself (RFC 6749 §5.2 `invalid_grant`: expired, used,
    /// or not matching the verifier or redirect URI): the client's failure, not the provider's.
    case codeRejected(reason: String)
    /// The ID token failed a check: signature, `iss`, `aud`/`azp`, `exp`, `iat`, `nonce`, `sub`.
    case tokenInvalid(reason: String)
    /// An identity we do not know whose provider does not vouch for its email.
    case emailNotVerified
    case accountDisabled
    /// The account with this email is already linked to another identity at this provider.
    case identityConflict

    var code: String {
        switch self {
        case .unknownProvider: "UNKNOWN_PROVIDER"
        case .stateInvalid: "OAUTH_STATE_INVALID"
        case .denied: "OAUTH_DENIED"
        case .exchangeFailed, .codeRejected: "OAUTH_EXCHANGE_FAILED"
        case .tokenInvalid: "OAUTH_TOKEN_INVALID"
        case .emailNotVerified: "EMAIL_NOT_VERIFIED"
        case .accountDisabled: "ACCOUNT_DISABLED"
        case .identityConflict: "IDENTITY_CONFLICT"
        }
    }

    var reason: String {
        switch self {
        case .unknownProvider: "unknown provider"
        case .stateInvalid(let reason), .denied(let reason), .exchangeFailed(let reason), .codeRejected(let reason),
             .tokenInvalid(let reason): reason
        case .emailNotVerified: "email not verified by the provider"
        case .accountDisabled: "account disabled"
        case .identityConflict: "account already linked to another identity of this provider"
        }
    }

    var apiError: APIError {
        switch self {
        case .unknownProvider: APIError(.notFound, code: code, message: "No such sign-in provider")
        case .stateInvalid: APIError(.badRequest, code: code, message: "This sign-in expired, was already used, or began in another browser; start again")
        case .denied: APIError(.forbidden, code: code, message: "The provider did not authorize the sign-in")
        // The provider failed, not the client: a gateway error, worth a retry later.
        case .exchangeFailed: APIError(HTTPStatus(502), code: code, message: "The sign-in provider could not be reached or gave an unusable answer")
        case .codeRejected: APIError(.badRequest, code: code, message: "The provider refused this authorization code; start the sign-in again")
        case .tokenInvalid: APIError(.unauthorized, code: code, message: "The provider's ID token did not verify")
        case .emailNotVerified: APIError(.forbidden, code: code, message: "The provider has not verified this email address")
        case .accountDisabled: APIError(.forbidden, code: code, message: "This account is disabled")
        case .identityConflict: APIError(.conflict, code: code, message: "This account is already linked to another identity of this provider")
        }
    }
}

/// The identity routes' failures.
enum IdentityFailure: Error, APIErrorConvertible, Equatable {
    case notLinked
    /// Unlinking would leave the account with no way to sign in.
    case lastSignInMethod

    var apiError: APIError {
        switch self {
        case .notLinked: APIError(.notFound, code: "IDENTITY_NOT_FOUND", message: "No identity of this provider is linked to the account")
        case .lastSignInMethod:
            APIError(.conflict, code: "LAST_SIGN_IN_METHOD", message: "This is the account's only way to sign in: set a password or link another provider first")
        }
    }
}
