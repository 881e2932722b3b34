import FoundationEssentials
import PostgresClient

/// Deletes an account and every row that is its, for self-deletion, the admin route and
/// `authserver user delete` alike. One transaction: the user row goes, and with it by cascade
/// its sessions, their refresh tokens, its email tokens, its outbox mail and its identities;
/// mail queued to its address alone (forgot-password) goes too; its earlier audit events keep
/// only its id (`AuditRepository.forget`), and one more records the deletion. Its limiter
/// keys are cleared once that committed: counters live in the limiter's store, not beside the rows.
struct AccountDeletion: Sendable {
    let users: UserRepository
    let auditLog: AuditRepository
    let audit: AuditTrail
    let limiter: any RateLimitStore

    /// `actor`: the admin, nil for the user themselves or a shell. Throws `USER_NOT_FOUND`.
    func delete(_ id: UUID, actor: UUID?, via channel: String, from origin: AuditTrail.Origin, on database: PostgresDatabase) async throws {
        // The deletion's own row names who did it: an admin's client IP is theirs to keep, the
        // user's own is not.
        let recorded = AuditTrail.Origin(clientIP: actor == nil ? nil : origin.clientIP, requestID: origin.requestID, logger: origin.logger)
        let email = try await database.transaction { transaction in
            guard let user = try await users.lock(id: id, on: transaction) else { throw AccountFailure.userNotFound }
            _ = try await transaction.query("DELETE FROM email_outbox WHERE user_id = $1 OR recipient = $2", [.uuid(id), .text(user.email)])
            _ = try await transaction.query("DELETE FROM users WHERE id = $1", [.uuid(id)])
            try await auditLog.forget(userID: id, on: transaction)
            try await audit.record(AuditEvent(.accountDeleted, user: id, actor: actor, details: [("via", channel)]), from: recorded, on: transaction)
            return user.email
        }
        for key in [RateLimitKey.failedLogins(forAccount: email), RateLimitKey.mailRequests(about: email),
                    RateLimitKey.mailRequests(about: id.lowercasedText)] {
            try await limiter.reset(key)
        }
    }
}
