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
    /// Byte-level: this runs on every authenticated request.
    static func bearerToken(in request: HTTPRequest) -> String? {
        guard let header = request.headers["Authorization"] else { return nil }
        let bytes = Array(header.utf8)
        let scheme = Array("bearer".utf8)
        guard bytes.count > scheme.count, zip(bytes, scheme).allSatisfy({ $0 | 0x20 == $1 }), bytes[scheme.count] == UInt8(ascii: " ") else {
            return nil
        }
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let start = bytes[scheme.count...].firstIndex(where: { !isBlank($0) }),
              let end = bytes.lastIndex(where: { !isBlank($0) }) else { return nil }
        return String(decoding: bytes[start...end], as: UTF8.self)
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
