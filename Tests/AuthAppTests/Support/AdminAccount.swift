import Foundation
import TestHTTPClient

/// An ADMIN, made the way operators make one (`createAdmin`), signed in.
struct AdminAccount {
    let client: APIClient
    let token: String
    let id: String

    init(on app: TestApp) async throws {
        let email = TestApp.uniqueEmail("admin")
        _ = try await app.app.createAdmin(email: email, password: "admin passphrase")
        client = try app.client()
        let login = try await client.login(email, "admin passphrase")
        token = login.json["accessToken"] as! String
        id = (login.json["user"] as! [String: Any])["id"] as! String
    }

    @discardableResult
    func call(_ method: String, _ path: String, json: [String: any Sendable]? = nil) async throws -> TestHTTPClient.Response {
        try await client.call(method, path, json: json, token: token)
    }
}
