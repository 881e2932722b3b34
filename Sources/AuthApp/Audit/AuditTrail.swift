import FoundationEssentials
import JSON
import Logging
import PostgresClient

/// Records security events: a row of `audit_events`, written on the caller's transaction so it
/// commits or rolls back with the change it records, and the log line operators already watch.
struct AuditTrail: Sendable {
    /// Where the request came from, as the log and the trail name it.
    struct Origin: Sendable {
        let clientIP: String?
        let requestID: String?
        let logger: Logger

        /// A change made from a shell (`authserver user ...`), not over HTTP.
        static func shell(_ logger: Logger) -> Origin {
            Origin(clientIP: nil, requestID: nil, logger: logger)
        }
    }

    func record(_ event: AuditEvent, from origin: Origin, on database: some SQLRunner) async throws {
        var details = JSONWriter(capacity: 64)
        details.beginObject()
        for (name, value) in event.details { details.member(name, value) }
        details.endObject()
        _ = try await database.query("""
            INSERT INTO audit_events (type, user_id, actor_id, ip, request_id, details)
            VALUES ($1, $2, $3, $4, $5, $6::jsonb)
            """, [.text(event.kind.rawValue), PostgresValue(event.userID), PostgresValue(event.actorID),
                  PostgresValue(origin.clientIP), PostgresValue(origin.requestID),
                  .text(String(decoding: details.bytes, as: UTF8.self))])
        log(event, from: origin)
    }

    /// The log line alone, for events whose row could not be written with them.
    func log(_ event: AuditEvent, from origin: Origin) {
        var metadata: Logger.Metadata = ["event": "\(event.kind.rawValue)"]
        if let user = event.userID { metadata["userId"] = "\(user.lowercasedText)" }
        if let actor = event.actorID { metadata["actorId"] = "\(actor.lowercasedText)" }
        if let ip = origin.clientIP { metadata["clientIp"] = "\(ip)" }
        for (name, value) in event.details { metadata[name] = "\(value)" }
        let level: Logger.Level = [.loginFailed, .loginToDisabledAccount, .refreshTokenReused, .passwordChangeFailed, .emailChangeFailed,
                                    .accountDeletionRefused, .providerSignInRefused].contains(event.kind)
            ? .warning : .notice
        origin.logger.log(level: level, "security: \(event.kind.rawValue)", metadata: metadata)
    }
}

extension AppContext {
    var auditOrigin: AuditTrail.Origin {
        AuditTrail.Origin(clientIP: clientHost, requestID: requestID, logger: logger)
    }
}
