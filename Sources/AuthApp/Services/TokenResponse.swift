import JSON
import HTTPServer

/// The contract's token response, with the refresh cookie.
struct TokenResponse: JSONWritable {
    let user: User
    let accessToken: String
    let refreshToken: String
    let expiresIn: Int

    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.member("success", true)
        json.member("accessToken", accessToken)
        json.name("tokens")
        json.beginObject()
        json.member("accessToken", accessToken)
        json.member("refreshToken", refreshToken)
        json.member("tokenType", "Bearer")
        json.member("expiresIn", expiresIn)
        json.endObject()
        json.name("user")
        user.write(to: &json)
        json.endObject()
    }

    func response(status: HTTPStatus = .ok, cookie: RefreshCookie) -> HTTPResponse {
        var response = HTTPResponse.json(self, status: status)
        response.headers.add("Set-Cookie", cookie.set(refreshToken))
        return response
    }
}
