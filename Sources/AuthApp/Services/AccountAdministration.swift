import FoundationEssentials
import PostgresClient

/// What an operator does to accounts, from the admin routes (`actor`: the admin's id) and from
/// `authserver user ...` (`actor` nil, `via` "shell") through the same code: every change in one
/// transaction with its audit event, and a deactivation or a role change revokes every session
/// of the account, so no token minted before it carries on.
struct AccountAdministration: Sendable {
    let database: PostgresDatabase
    let users: UserRepository
    let sessions: SessionRepository
    let audit: AuditTrail
    let deletion: AccountDeletion

    /// Who acts: an admin over HTTP, or a shell.
    struct Actor: Sendable {
        let id: UUID?
        let channel: String

        static func admin(_ id: UUID) -> Actor { Actor(id: id, channel: "admin") }
        static let shell = Actor(id: nil, channel: "shell")
    }

    /// The account after the change, and how many sessions it revoked. Throws `USER_NOT_FOUND`.
    func update(_ id: UUID, _ changes: AccountChanges, by actor: Actor, from origin: AuditTrail.Origin) async throws -> (user: User, revoked: Int) {
        try await database.transaction { transaction in
            guard let before = try await users.lock(id: id, on: transaction),
                  let after = try await users.apply(changes, to: id, on: transaction)
            else { throw AccountFailure.userNotFound }
            let endsSessions = changes.isActive == false || (changes.role.map { $0 != before.role } ?? false)
            let revoked = endsSessions
                ? try await sessions.revokeAll(userID: id, reason: changes.isActive == false ? "deactivated" : "role_changed", on: transaction) : 0
            try await audit.record(AuditEvent(.accountUpdated, user: id, actor: actor.id, details: changes.auditDetails + [
                ("via", actor.channel), ("previousRole", before.role.rawValue), ("revokedSessions", String(revoked)),
            ]), from: origin, on: transaction)
            return (after, revoked)
        }
    }

    /// Revokes every session of the account; answers how many. Throws `USER_NOT_FOUND`.
    func revokeSessions(of id: UUID, by actor: Actor, from origin: AuditTrail.Origin) async throws -> Int {
        try await database.transaction { transaction in
            guard try await users.lock(id: id, on: transaction) != nil else { throw AccountFailure.userNotFound }
            let revoked = try await sessions.revokeAll(userID: id, reason: "revoked_by_admin", on: transaction)
            try await audit.record(AuditEvent(.allSessionsRevoked, user: id, actor: actor.id, details: [
                ("via", actor.channel), ("revokedSessions", String(revoked)),
            ]), from: origin, on: transaction)
            return revoked
        }
    }

    func delete(_ id: UUID, by actor: Actor, from origin: AuditTrail.Origin) async throws {
        try await deletion.delete(id, actor: actor.id, via: actor.channel, from: origin, on: database)
    }
}
