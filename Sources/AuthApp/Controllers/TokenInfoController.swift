import AuthCrypto
import Foundation
import HTTPServer

/// `GET|POST /api/auth/verify-token` and `GET /api/auth/jwt-info`: for partner services and
/// troubleshooting. Neither touches the database.
struct TokenInfoController: Sendable {
    let tokens: TokenIssuer
    let refreshTokenTTL: Int
    let secretLength: Int
    /// First 16 hex characters of SHA-256(secret): lets a partner compare secrets without
    /// either side revealing one.
    let secretFingerprint: String

    init(tokens: TokenIssuer, secret: [UInt8], refreshTokenTTL: Int) {
        self.tokens = tokens
        self.refreshTokenTTL = refreshTokenTTL
        secretLength = secret.count
        secretFingerprint = String(Hex.encode(SHA256.hash(secret)).prefix(16))
    }

    struct Verified: Encodable {
        struct Claims: Encodable {
            let userId: String
            let email: String
            let role: String
        }

        let success = true
        let valid = true
        let user: Claims
        let issuedAt: Date
        let expiresAt: Date
    }

    struct Rejected: Encodable {
        let success = false
        let valid = false
        let code: String
        let message: String
    }

    struct TokenBody: Decodable {
        let token: String?
    }

    func verify(_ request: HTTPRequest, context: RequestContext) throws -> HTTPResponse {
        var token = AuthenticateMiddleware.bearerToken(in: request)
        if token == nil && request.method == .POST {
            token = try request.decodeJSON(TokenBody.self).token?.nilIfEmpty
        }
        do {
            guard let token else { throw AuthError.noToken }
            let principal = try tokens.principal(from: token)
            return HTTPResponse(json: Verified(
                user: .init(userId: principal.userID.lowercasedString, email: principal.email, role: principal.role.rawValue),
                issuedAt: Date(timeIntervalSince1970: TimeInterval(principal.issuedAt)),
                expiresAt: Date(timeIntervalSince1970: TimeInterval(principal.expiresAt))
            ))
        } catch let error as HTTPError {
            return HTTPResponse(status: error.status, json: Rejected(code: error.code, message: error.message))
        }
    }

    struct Info: Encodable {
        let success = true
        let algorithm = "HS256"
        let accessTokenTtlSeconds: Int
        let refreshTokenTtlSeconds: Int
        let issuer: String?
        let audience: String?
        let secretLength: Int
        let secretFingerprint: String

        private enum CodingKeys: String, CodingKey {
            case success, algorithm, accessTokenTtlSeconds, refreshTokenTtlSeconds, issuer, audience, secretLength, secretFingerprint
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(success, forKey: .success)
            try container.encode(algorithm, forKey: .algorithm)
            try container.encode(accessTokenTtlSeconds, forKey: .accessTokenTtlSeconds)
            try container.encode(refreshTokenTtlSeconds, forKey: .refreshTokenTtlSeconds)
            try container.encode(issuer, forKey: .issuer)
            try container.encode(audience, forKey: .audience)
            try container.encode(secretLength, forKey: .secretLength)
            try container.encode(secretFingerprint, forKey: .secretFingerprint)
        }
    }

    func info(_ request: HTTPRequest, context: RequestContext) throws -> HTTPResponse {
        HTTPResponse(json: Info(accessTokenTtlSeconds: tokens.accessTokenTTL, refreshTokenTtlSeconds: refreshTokenTTL,
                                issuer: tokens.jwt.issuer, audience: tokens.jwt.audience,
                                secretLength: secretLength, secretFingerprint: secretFingerprint))
    }
}
