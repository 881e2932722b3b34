import JSON
import FoundationEssentials
import HTTPServer
import Logging
import PostgresClient

/// `POST /api/auth/refresh` and `POST /api/auth/logout`: what a refresh token can do.
struct RefreshController: Sendable {
    let database: PostgresDatabase
    let users: UserRepository
    let sessions: SessionRepository
    let rotation: RefreshRotation
    let tokens: TokenIssuer
    let cookie: RefreshCookie
    let audit: AuditTrail
    /// `REQUIRE_EMAIL_VERIFICATION`: an unverified account's refresh is refused, its token left as it was.
    let requireVerification: Bool

    struct Done: JSONWritable {
        let message: String

        func write(to json: inout JSONWriter) {
            json.beginObject()
            json.member("success", true)
            json.member("message", message)
            json.endObject()
        }
    }

    func refresh(_ request: HTTPRequest, context: inout AppContext) async throws -> HTTPResponse {
        var body = try RequestBody(request)
        let bodyToken = body.optionalString("refreshToken")
        try body.validate()
        guard let presented = Self.presentedToken(body: bodyToken, request: request) else { throw AuthFailure.invalidRefreshToken }
        let origin = context.auditOrigin
        let userAgent = request.headers["User-Agent"] ?? "-"
        let (outcome, user) = try await database.transaction { transaction -> (RefreshRotation.Outcome, User?) in
            let outcome = try await rotation.refresh(presented, on: transaction)
            switch outcome {
            case .reuseDetected(let userID, let sessionID):
                // Committed with the revocation: the login stays revoked whatever happens to this response.
                try await audit.record(AuditEvent(.refreshTokenReused, user: userID, details: [
                    ("sessionId", sessionID.lowercasedText), ("userAgent", userAgent),
                ]), from: origin, on: transaction)
                return (outcome, nil)
            case .successorMismatch:
                return (outcome, nil)
            case .issued(let userID, let sessionID, _, let replayedWithin):
                if let replayedWithin {
                    // Another tab, most likely; a thief inside the window looks the same, so leave a trace.
                    try await audit.record(AuditEvent(.refreshTokenReplayedInWindow, user: userID, details: [
                        ("sessionId", sessionID.lowercasedText), ("userAgent", userAgent), ("secondsSinceRotation", String(Int(replayedWithin))),
                    ]), from: origin, on: transaction)
                }
                let user = try await users.find(id: userID, on: transaction)
                // Thrown inside the transaction: the rotation rolls back with it.
                if requireVerification, let user, !user.emailVerified { throw EmailFailure.emailNotVerified }
                return (outcome, user)
            }
        }
        switch (outcome, user) {
        case (.reuseDetected, _):
            var error = AuthFailure.tokenReused.apiError
            error.headers.append(("Set-Cookie", cookie.cleared))
            throw error
        case (.successorMismatch(let userID, let sessionID), _):
            context.logger.error("A rotated refresh token's successor differs from the stored one: instances sharing this database must share SERVER_SECRET",
                                 metadata: ["userId": "\(userID.lowercasedText)", "sessionId": "\(sessionID.lowercasedText)"])
            throw AuthFailure.invalidRefreshToken
        case (.issued(_, let sessionID, let refreshToken, _), let user?):
            guard user.isActive else { throw AuthFailure.accountDisabledSinceTokenIssued }
            return TokenResponse(user: user, accessToken: tokens.accessToken(for: user, sessionID: sessionID),
                                 refreshToken: refreshToken, expiresIn: tokens.accessTokenTTL).response(cookie: cookie)
        case (.issued, nil):
            throw AuthFailure.invalidRefreshToken
        }
    }

    func logout(_ request: HTTPRequest, context: inout AppContext) async throws -> HTTPResponse {
        var body = try RequestBody(request)
        let bodyToken = body.optionalString("refreshToken")
        let allDevices = body.optionalBool("allDevices") ?? false
        try body.validate()
        var message = "Logged out"
        if allDevices {
            guard let token = AuthenticateMiddleware.bearerToken(in: request) else { throw AuthFailure.noToken }
            let principal = try tokens.principal(from: token)
            let user = try await users.live(principal, on: database)
            let origin = context.auditOrigin
            let revoked = try await database.transaction { transaction in
                let revoked = try await sessions.revokeAll(userID: user.id, reason: "logout_all", on: transaction)
                try await audit.record(AuditEvent(.allSessionsRevoked, user: user.id, details: [("reason", "logout_all"), ("count", String(revoked))]),
                                       from: origin, on: transaction)
                return revoked
            }
            message = "Logged out of \(revoked) sessions"
        } else if let presented = Self.presentedToken(body: bodyToken, request: request) {
            try await sessions.revoke(tokenHash: TokenIssuer.hash(refreshToken: presented), reason: "logout", on: database)
        }
        var response = HTTPResponse.json(Done(message: message))
        response.headers.add("Set-Cookie", cookie.cleared)
        return response
    }

    /// The body's token wins over the cookie's (API.md), for clients that hold both.
    private static func presentedToken(body: String?, request: HTTPRequest) -> String? {
        let token = body?.nilIfEmpty ?? Cookies(request)[RefreshCookie.name]
        // Our tokens are 43 base64url characters; anything far off is not worth a query.
        guard let token, token.utf8.count <= 256 else { return nil }
        return token
    }
}
