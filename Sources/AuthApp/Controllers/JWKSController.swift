import AuthCrypto
import HTTPServer

/// `GET /.well-known/jwks.json`: the public keys that verify our access tokens, the signing
/// key's first, for partners' `PyJWKClient` and the like; `{"keys":[]}` under HS256, whose
/// secret is never published. The keys are fixed for the life of the process, so the body is
/// encoded once, and caches may keep it for five minutes (a rotation keeps the old key listed
/// for longer than that).
struct JWKSController: Sendable {
    private static let cacheable = EncodedHeaderFields([("Cache-Control", "public, max-age=300")])
    private let body: [UInt8]

    init(keys: JWKSet) {
        body = keys.encodedJSON()
    }

    func keySet(_ request: HTTPRequest, context: inout AppContext) -> HTTPResponse {
        var response = HTTPResponse(body: body)
        response.headers.add(HTTPResponse.jsonContentType)
        response.headers.add(Self.cacheable)
        return response
    }
}
