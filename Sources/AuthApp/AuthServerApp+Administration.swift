import FoundationEssentials

/// `authserver user ...`: the admin routes' changes from a shell, through the same
/// `AccountAdministration` (audit events with no actor and `via: shell`).
extension AuthServerApp {
    public enum UserCommand: Sendable {
        case deactivate
        case activate
        case delete
        case setRole(Role)
    }

    /// A refusal the operator can act on (no such account).
    public struct CommandFailure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Applies `command` to the account with this email; answers a line saying what it did.
    public func administer(email rawEmail: String, _ command: UserCommand) async throws -> String {
        let email = EmailAddress.normalize(rawEmail)
        let users = UserRepository()
        let audit = AuditTrail()
        let sessions = SessionRepository(refreshTokenTTL: configuration.refreshTokenTTL, sessionMaxLifetime: configuration.sessionMaxLifetime)
        // Only the shared store is reachable from here; a server's in-memory counters end with their window.
        let deletion = AccountDeletion(users: users, auditLog: AuditRepository(), audit: audit, limiter: PostgresRateLimitStore(database: database))
        let administration = AccountAdministration(database: database, users: users, sessions: sessions, audit: audit, deletion: deletion)
        guard let user = try await users.find(email: email, on: database) else {
            throw CommandFailure(description: "no account has the email \(email)")
        }
        let origin = AuditTrail.Origin.shell(logger)
        switch command {
        case .deactivate:
            let (_, revoked) = try await administration.update(user.id, AccountChanges(isActive: false), by: .shell, from: origin)
            return "deactivated \(email) (\(revoked) sessions revoked)"
        case .activate:
            _ = try await administration.update(user.id, AccountChanges(isActive: true), by: .shell, from: origin)
            return "activated \(email)"
        case .delete:
            try await administration.delete(user.id, by: .shell, from: origin)
            return "deleted \(email) and every row of it"
        case .setRole(let role):
            let (_, revoked) = try await administration.update(user.id, AccountChanges(role: role), by: .shell, from: origin)
            return "\(email) is now \(role.rawValue) (\(revoked) sessions revoked)"
        }
    }
}
