import Foundation
import Reactor
import TestHTTPClient

/// JSON calls over one keep-alive connection, as a non-browser client makes them.
///
/// The async calls do their blocking socket I/O on a pool of threads of their own, never on the
/// few threads that run Swift's tasks: a test waiting for a response must not hold up other
/// tests' tasks. The `Sync` variants are for tests that start threads of their own.
final class APIClient: @unchecked Sendable {
    // @unchecked Sendable: a client is used by one test at a time, each call awaited before the
    // next, so its connection is never touched by two threads at once.
    private let connection: TestHTTPClient
    let port: Int

    /// Threads for the tests' socket I/O.
    private static let io = BlockingPool(name: "test-io", threads: 16, queueLimit: 10_000)

    init(port: Int) throws {
        self.port = port
        connection = try TestHTTPClient(port: port)
    }

    @discardableResult
    func call(_ method: String, _ path: String, json: [String: any Sendable]? = nil, token: String? = nil,
              headers: [(String, String)] = []) async throws -> TestHTTPClient.Response {
        try await Self.io.run { try self.callSync(method, path, json: json, token: token, headers: headers) }
    }

    /// Registers a fresh account; answers the token response's JSON.
    func register(email: String = TestApp.uniqueEmail(), password: String = "correct horse battery",
                  extra: [String: any Sendable] = [:]) async throws -> Account {
        try await Self.io.run { try self.registerSync(email: email, password: password, extra: extra) }
    }

    func login(_ email: String, _ password: String, headers: [(String, String)] = []) async throws -> TestHTTPClient.Response {
        try await Self.io.run { try self.loginSync(email, password, headers: headers) }
    }

    @discardableResult
    func callSync(_ method: String, _ path: String, json: [String: any Sendable]? = nil, token: String? = nil,
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

    func registerSync(email: String = TestApp.uniqueEmail(), password: String = "correct horse battery",
                      extra: [String: any Sendable] = [:]) throws -> Account {
        var body: [String: any Sendable] = ["email": email, "password": password]
        body.merge(extra) { $1 }
        let response = try callSync("POST", "/api/auth/register", json: body)
        guard response.status == 201 else {
            throw TestHTTPClient.Failure(description: "register answered \(response.status): \(response.text)")
        }
        return Account(email: email, password: password, response: response)
    }

    func loginSync(_ email: String, _ password: String, headers: [(String, String)] = []) throws -> TestHTTPClient.Response {
        try callSync("POST", "/api/auth/login", json: ["email": email, "password": password], headers: headers)
    }
}

/// An account as the token response described it.
struct Account: Sendable {
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
