import FoundationEssentials

/// One thing that happened to an account, for the audit trail and the security log alike.
struct AuditEvent: Sendable {
    /// Dotted names, stable: operators filter the trail by them (`GET /api/admin/audit?type=`).
    enum Kind: String, Sendable, CaseIterable {
        case accountRegistered = "account.registered"
        case loginSucceeded = "login.succeeded"
        case loginFailed = "login.failed"
        case loginToDisabledAccount = "login.disabled_account"
        case refreshTokenReused = "refresh.reuse_detected"
        case refreshTokenReplayedInWindow = "refresh.replayed_within_window"
        case passwordChanged = "password.changed"
        case passwordChangeFailed = "password.change_failed"
        case sessionRevoked = "session.revoked"
        case allSessionsRevoked = "session.revoked_all"
        case adminPromoted = "admin.promoted"
        case loginToUnverifiedEmail = "login.email_not_verified"
        case passwordResetRequested = "password.reset_requested"
        case passwordReset = "password.reset"
        case emailVerificationSent = "email.verification_sent"
        case emailVerified = "email.verified"
        case emailChangeRequested = "email.change_requested"
        case emailChangeFailed = "email.change_failed"
        case emailChanged = "email.changed"
        case profileUpdated = "profile.updated"
        case accountExported = "account.exported"
        case accountDeleted = "account.deleted"
        case accountDeletionRefused = "account.deletion_refused"
        /// An admin or a shell command changed `isActive`, `role` or `filesUploaded`.
        case accountUpdated = "account.updated"
        case providerSignIn = "login.provider"
        case providerSignInRefused = "login.provider_refused"
        case identityLinked = "identity.linked"
        case identityUnlinked = "identity.unlinked"
    }

    let kind: Kind
    /// The account the event is about.
    let userID: UUID?
    /// Who did it, when not the user themselves (an admin, a shell command).
    var actorID: UUID?
    /// Facts worth keeping (a reason, a count, a session id): never a secret.
    var details: [(String, String)] = []

    init(_ kind: Kind, user userID: UUID?, actor actorID: UUID? = nil, details: [(String, String)] = []) {
        self.kind = kind
        self.userID = userID
        self.actorID = actorID
        self.details = details
    }
}
