import AuthCrypto
import FoundationEssentials
import HTTPServer
import PostgresClient

/// Protects a route: requires `Authorization: Bearer <access token>` and leaves the caller's
/// `Principal` in the context. Verification needs no database, so it never waits; routes that
/// read the database also check the token's session (`AccountRepository.live`).
struct AuthenticateMiddleware: Middleware {
    let tokens: TokenIssuer
    let execution = Execution.inline

    func handle(_ request: HTTPRequest, context: inout AppContext, next: some Responder<AppContext>) async throws -> HTTPResponse {
        guard let token = Self.bearerToken(in: request) else { throw AuthFailure.noToken }
        context.principal = try tokens.principal(from: token)
        return try await next(request, &context)
    }

    /// The token of an `Authorization: Bearer <token>` header (scheme case-insensitive, RFC 9110
    /// §11.1), read from the header's bytes: this runs on every authenticated request.
    static func bearerToken(in request: HTTPRequest) -> String? {
        request.headers.withValue(of: "Authorization") { value in
            guard let value else { return nil }
            let scheme: StaticString = "bearer"
            let schemeLength = scheme.utf8CodeUnitCount
            guard value.count > schemeLength, value[schemeLength] == UInt8(ascii: " ") else { return nil }
            for index in 0..<schemeLength where value[index] | 0x20 != scheme.utf8Start[index] {
                return nil
            }
            var start = schemeLength
            var end = value.count
            while start < end && (value[start] == UInt8(ascii: " ") || value[start] == UInt8(ascii: "\t")) { start += 1 }
            while end > start && (value[end - 1] == UInt8(ascii: " ") || value[end - 1] == UInt8(ascii: "\t")) { end -= 1 }
            guard start < end else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: value[start..<end]), as: UTF8.self)
        }
    }
}

extension TokenIssuer {
    /// Verifies an access token; `TOKEN_EXPIRED` and `INVALID_TOKEN` as the contract names them.
    func principal(from token: String) throws(AuthFailure) -> Principal {
        let claims: AccessTokenClaims
        do {
            claims = try verify(token)
        } catch .expired {
            throw .tokenExpired
        } catch {
            throw .invalidToken
        }
        guard let userID = UUID(canonicalText: claims.userId), let role = Role(rawValue: claims.role) else {
            throw .invalidToken
        }
        return Principal(userID: userID, email: claims.email, role: role, sessionID: claims.sessionId.flatMap(UUID.init(canonicalText:)),
                         emailVerified: claims.emailVerified, issuedAt: claims.issuedAt, expiresAt: claims.expiresAt)
    }
}
