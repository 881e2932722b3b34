import Foundation
import TestHTTPClient

/// JSON calls over one keep-alive connection, as a non-browser client makes them.
final class APIClient {
    private let connection: TestHTTPClient
    let port: Int

    init(port: Int) throws {
        self.port = port
        connection = try TestHTTPClient(port: port)
    }

    @discardableResult
    func call(_ method: String, _ path: String, json: [String: Any]? = nil, token: String? = nil,
              headers: [(String, String)] = []) throws -> TestHTTPClient.Response {
        var headers = headers
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        var body: String?
        if let json {
            body = String(decoding: try JSONSerialization.data(withJSONObject: json), as: UTF8.self)
            headers.append(("Content-Type", "application/json"))
        }
        return try connection.request(method, path, headers: headers, body: body)
    }

    /// Registers a fresh account; answers the token response's JSON.
    func register(email: String = TestApp.uniqueEmail(), password: String = "correct horse battery", extra: [String: Any] = [:]) throws -> Account {
        var body: [String: Any] = ["email": email, "password": password]
        body.merge(extra) { $1 }
        let response = try call("POST", "/api/auth/register", json: body)
        guard response.status == 201 else {
            throw TestHTTPClient.Failure(description: "register answered \(response.status): \(response.text)")
        }
        return Account(email: email, password: password, response: response)
    }

    func login(_ email: String, _ password: String, headers: [(String, String)] = []) throws -> TestHTTPClient.Response {
        try call("POST", "/api/auth/login", json: ["email": email, "password": password], headers: headers)
    }
}

/// An account as the token response described it.
struct Account {
    let email: String
    let password: String
    let response: TestHTTPClient.Response

    var json: [String: Any] { response.json }
    var accessToken: String { json["accessToken"] as! String }
    var refreshToken: String { (json["tokens"] as! [String: Any])["refreshToken"] as! String }
    var user: [String: Any] { json["user"] as! [String: Any] }
    var id: String { user["id"] as! String }
}

extension TestHTTPClient.Response {
    var code: String? { json["code"] as? String }

    /// The value of a `Set-Cookie` for `name`, and its attributes.
    func cookie(_ name: String) -> (value: String, attributes: [String])? {
        for (headerName, value) in headers where headerName.lowercased() == "set-cookie" {
            let parts = value.components(separatedBy: "; ")
            if parts[0].hasPrefix("\(name)=") {
                return (String(parts[0].dropFirst(name.count + 1)), Array(parts.dropFirst()))
            }
        }
        return nil
    }
}
