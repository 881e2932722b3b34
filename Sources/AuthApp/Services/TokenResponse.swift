import Foundation
import HTTPServer

/// The contract's token response, with the refresh cookie.
struct TokenResponse: Encodable {
    struct Tokens: Encodable {
        let accessToken: String
        let refreshToken: String
        let tokenType = "Bearer"
        let expiresIn: Int
    }

    let success = true
    let accessToken: String
    let tokens: Tokens
    let user: User

    static func response(status: HTTPStatus = .ok, user: User, accessToken: String, refreshToken: String,
                         expiresIn: Int, cookie: RefreshCookie) -> HTTPResponse {
        let body = TokenResponse(accessToken: accessToken,
                                 tokens: Tokens(accessToken: accessToken, refreshToken: refreshToken, expiresIn: expiresIn),
                                 user: user)
        return HTTPResponse(status: status, json: body, headers: HTTPHeaders([("Set-Cookie", cookie.set(refreshToken))]))
    }
}
