import Foundation
import HTTPServer
import Logging
import PostgresClient

/// `POST /api/auth/refresh` and `POST /api/auth/logout`: what a refresh token can do.
struct RefreshController: Sendable {
    let database: PostgresPool
    let users: UserRepository
    let sessions: SessionRepository
    let rotation: RefreshRotation
    let tokens: TokenIssuer
    let cookie: RefreshCookie

    struct RefreshRequest: Decodable {
        let refreshToken: String?
    }

    struct LogoutRequest: Decodable {
        let refreshToken: String?
        let allDevices: Bool?
    }

    struct Done: Encodable {
        let success = true
        let message: String
    }

    func refresh(_ request: HTTPRequest, context: RequestContext) throws -> HTTPResponse {
        let body = try request.decodeJSON(RefreshRequest.self)
        guard let presented = RefreshController.presentedToken(body: body.refreshToken, context: context) else {
            throw AuthError.invalidRefreshToken
        }
        let outcome = try database.transaction { connection -> (RefreshRotation.Outcome, User?) in
            let outcome = try rotation.refresh(presented, on: connection)
            guard case .issued(let userID, _, _) = outcome else { return (outcome, nil) }
            return (outcome, try users.find(id: userID, on: connection))
        }
        switch outcome {
        case (.reuseDetected(let userID, let sessionID), _):
            // Committed above: the login stays revoked whatever happens to this response.
            context.logger.warning("security: refresh token reuse; login revoked", metadata: [
                "userId": "\(userID.lowercasedString)", "sessionId": "\(sessionID.lowercasedString)", "clientIp": "\(context.clientIP)",
            ])
            var error = AuthError.tokenReused
            error.headers.add(name: "Set-Cookie", value: cookie.cleared)
            throw error
        case (.issued(_, let sessionID, let refreshToken), let user?):
            guard user.isActive else { throw AuthError.accountDisabledToken }
            return TokenResponse.response(user: user, accessToken: tokens.accessToken(for: user, sessionID: sessionID),
                                          refreshToken: refreshToken, expiresIn: tokens.accessTokenTTL, cookie: cookie)
        case (.issued, nil):
            throw AuthError.invalidRefreshToken
        }
    }

    func logout(_ request: HTTPRequest, context: RequestContext) throws -> HTTPResponse {
        let body = try request.decodeJSON(LogoutRequest.self)
        let presented = RefreshController.presentedToken(body: body.refreshToken, context: context)
        var revokedAll = 0
        if body.allDevices == true {
            guard let token = AuthenticateMiddleware.bearerToken(in: request) else { throw AuthError.noToken }
            let principal = try tokens.principal(from: token)
            revokedAll = try database.withConnection { try sessions.revokeAll(userID: principal.userID, reason: "logout_all", on: $0) }
            context.logger.notice("security: logout from all devices", metadata: ["userId": "\(principal.userID.lowercasedString)", "sessions": "\(revokedAll)"])
        } else if let presented {
            try database.withConnection { _ = try sessions.revoke(tokenHash: TokenIssuer.hash(refreshToken: presented), reason: "logout", on: $0) }
        }
        return HTTPResponse(json: Done(message: body.allDevices == true ? "Logged out of \(revokedAll) sessions" : "Logged out"),
                            headers: HTTPHeaders([("Set-Cookie", cookie.cleared)]))
    }

    /// The body's token wins over the cookie's (API.md), for clients that hold both.
    private static func presentedToken(body: String?, context: RequestContext) -> String? {
        let token = body?.nilIfEmpty ?? context.cookies[RefreshCookie.name]?.nilIfEmpty
        // Our tokens are 43 base64url characters; anything far off is not worth a query.
        guard let token, token.utf8.count <= 256 else { return nil }
        return token
    }
}
