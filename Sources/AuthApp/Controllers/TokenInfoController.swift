import JSON
import AuthCrypto
import FoundationEssentials
import HTTPServer

/// `GET|POST /api/auth/verify-token` and `GET /api/auth/jwt-info`: for partner services and
/// troubleshooting. Neither touches the database; both answer inline.
struct TokenInfoController: Sendable {
    let tokens: TokenIssuer
    let refreshTokenTTL: Int
    /// jwt-info never changes while the process runs: encoded once.
    private let info: [UInt8]

    init(tokens: TokenIssuer, secret: [UInt8], refreshTokenTTL: Int) {
        self.tokens = tokens
        self.refreshTokenTTL = refreshTokenTTL
        var json = JSONWriter()
        json.beginObject()
        json.member("success", true)
        json.member("algorithm", tokens.jwt.algorithm)
        json.member("accessTokenTtlSeconds", tokens.accessTokenTTL)
        json.member("refreshTokenTtlSeconds", refreshTokenTTL)
        json.member("issuer", tokens.jwt.issuer)
        json.member("audience", tokens.jwt.audience)
        // Null under an asymmetric algorithm, which has no secret to compare.
        json.member("secretLength", secret.isEmpty ? nil : secret.count)
        // First 16 hex characters of SHA-256(secret): lets a partner compare secrets without
        // either side revealing one.
        json.member("secretFingerprint", secret.isEmpty ? nil : String(Hex.encode(SHA256.hash(secret)).prefix(16)))
        json.member("keyIds", tokens.jwt.publicKeys.keyIDs)
        json.endObject()
        info = json.bytes
    }

    struct Verified: JSONWritable {
        let principal: Principal

        func write(to json: inout JSONWriter) {
            json.beginObject()
            json.member("success", true)
            json.member("valid", true)
            json.name("user")
            json.beginObject()
            json.member("userId", principal.userID.lowercasedText)
            json.member("email", principal.email)
            json.member("role", principal.role.rawValue)
            json.endObject()
            json.member("issuedAt", Date(timeIntervalSince1970: TimeInterval(principal.issuedAt)))
            json.member("expiresAt", Date(timeIntervalSince1970: TimeInterval(principal.expiresAt)))
            json.endObject()
        }
    }

    struct Rejected: JSONWritable {
        let error: APIError

        func write(to json: inout JSONWriter) {
            json.beginObject()
            json.member("success", false)
            json.member("valid", false)
            json.member("code", error.code)
            json.member("message", error.message)
            json.endObject()
        }
    }

    func verify(_ request: HTTPRequest, context: inout AppContext) throws -> HTTPResponse {
        var token = AuthenticateMiddleware.bearerToken(in: request)
        if request.method == .POST {
            // Validated even when the header carries the token: a body of the wrong shape is a
            // client's bug, and answering 200 would hide it.
            var body = try RequestBody(request)
            let bodyToken = body.optionalString("token")?.nilIfEmpty
            try body.validate()
            token = token ?? bodyToken
        }
        do throws(AuthFailure) {
            guard let token else { throw .noToken }
            return .json(Verified(principal: try tokens.principal(from: token)))
        } catch {
            let rejection = error.apiError
            return .json(Rejected(error: rejection), status: rejection.status)
        }
    }

    func info(_ request: HTTPRequest, context: inout AppContext) -> HTTPResponse {
        var response = HTTPResponse(body: info)
        response.headers.add(HTTPResponse.jsonContentType)
        return response
    }
}
