import HTTPServer

/// The contract's failures of the mail flows.
enum EmailFailure: Error, APIErrorConvertible, Equatable {
    case invalidResetToken
    /// A verification or email-change link that is unknown, expired, used or replaced.
    case invalidVerificationToken
    /// Login or refresh of an unverified account under `REQUIRE_EMAIL_VERIFICATION`.
    case emailNotVerified

    var apiError: APIError {
        switch self {
        case .invalidResetToken:
            APIError(.badRequest, code: "INVALID_RESET_TOKEN", message: "This reset link is invalid, expired or already used; ask for a new one")
        case .invalidVerificationToken:
            APIError(.badRequest, code: "INVALID_VERIFICATION_TOKEN", message: "This link is invalid, expired or already used; ask for a new one")
        case .emailNotVerified:
            APIError(.forbidden, code: "EMAIL_NOT_VERIFIED", message: "Verify your email address first: open the link we mailed you")
        }
    }
}
