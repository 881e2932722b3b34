import Foundation
import HTTPServer

/// Who an access token says the caller is, as the authenticate middleware found it.
struct Principal: Sendable {
    let userID: UUID
    let email: String
    let role: Role
    let sessionID: UUID?
    let issuedAt: Int
    let expiresAt: Int
}

enum PrincipalKey: RequestContextKey {
    typealias Value = Principal
}

extension RequestContext {
    /// The authenticated caller; only routes behind the authenticate middleware ask.
    var principal: Principal {
        get throws {
            guard let principal = self[PrincipalKey.self] else { throw AuthError.noToken }
            return principal
        }
    }
}
