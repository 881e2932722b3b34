import HTTPServer

/// The contract's failures of administration and of a user managing their own account.
enum AccountFailure: Error, APIErrorConvertible, Equatable {
    /// No account with this id (a malformed id is as unknown as a missing one).
    case userNotFound
    /// An admin tried to deactivate or demote themselves, or to delete themselves through the
    /// admin routes (self-deletion is `DELETE /api/auth/me`, with the password).
    case cannotModifySelf
    /// Deleting an account without a password needs a login within the last few minutes.
    case reauthenticationRequired

    var apiError: APIError {
        switch self {
        case .userNotFound: APIError(.notFound, code: "USER_NOT_FOUND", message: "No such user")
        case .cannotModifySelf:
            APIError(.conflict, code: "CANNOT_MODIFY_SELF", message: "An admin cannot deactivate, demote or delete their own account here")
        case .reauthenticationRequired:
            APIError(.forbidden, code: "REAUTHENTICATION_REQUIRED", message: "Sign in again, then delete the account within 5 minutes")
        }
    }
}
