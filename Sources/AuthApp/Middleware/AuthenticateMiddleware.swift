import AuthCrypto
import Foundation
import HTTPServer

/// Protects a route: requires `Authorization: Bearer <access token>` and leaves the caller's
/// `Principal` in the context. Verification needs no database, so it runs anywhere.
struct AuthenticateMiddleware: Middleware {
    let tokens: TokenIssuer

    func handle(_ request: HTTPRequest, context: RequestContext, next: Handler) throws -> HTTPResponse {
        guard let token = AuthenticateMiddleware.bearerToken(in: request) else { throw AuthError.noToken }
        context[PrincipalKey.self] = try tokens.principal(from: token)
        return try next(request, context)
    }

    /// The token of an `Authorization: Bearer <token>` header (scheme case-insensitive, RFC 9110 §11.1).
    static func bearerToken(in request: HTTPRequest) -> String? {
        guard let header = request.headers["Authorization"] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}

extension TokenIssuer {
    /// Verifies an access token; `TOKEN_EXPIRED` and `INVALID_TOKEN` as the contract names them.
    func principal(from token: String) throws -> Principal {
        let claims: AccessTokenClaims
        do {
            claims = try verify(token)
        } catch .expired {
            throw AuthError.tokenExpired
        } catch {
            throw AuthError.invalidToken
        }
        guard let userID = UUID(uuidString: claims.userId), let role = Role(rawValue: claims.role) else {
            throw AuthError.invalidToken
        }
        return Principal(userID: userID, email: claims.email, role: role, sessionID: claims.sessionId.flatMap(UUID.init(uuidString:)),
                         issuedAt: claims.issuedAt, expiresAt: claims.expiresAt)
    }
}
