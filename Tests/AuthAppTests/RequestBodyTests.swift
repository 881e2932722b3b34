import Foundation
import Testing
import TestHTTPClient

@Suite("Bodies: parsed once, by the handler of a matched route, with strict types")
struct RequestBodyTests {
    private let malformed = [("Content-Type", "application/json")]

    @Test func notFoundAndMethodNotAllowedNeverParseTheBody() async throws {
        let app = try await TestApp()
        let client = app.inProcess()
        let missing = try await client.call("POST", "/api/auth/nothing", body: "{not json", headers: malformed)
        #expect(missing.status == 404)
        #expect(missing.code == "NOT_FOUND")
        let wrongMethod = try await client.call("PUT", "/api/auth/login", body: "{not json", headers: malformed)
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.code == "METHOD_NOT_ALLOWED")
        // Nor its media type: that is the business of a handler that reads a body.
        #expect(try await client.call("POST", "/api/auth/nothing", body: "<xml/>", headers: [("Content-Type", "text/xml")]).status == 404)
    }

    @Test func aRouteWhoseHandlerReadsNoBodyIgnoresAMalformedOne() async throws {
        let app = try await TestApp()
        let account = try await app.client().register()
        let client = app.inProcess()
        #expect(try await client.call("GET", "/api/auth/jwt-info", body: "{not json", headers: malformed).status == 200)
        #expect(try await client.call("GET", "/api/auth/me", body: "{not json", token: account.accessToken, headers: malformed).status == 200)
        // A handler that reads one still refuses it.
        let login = try await client.call("POST", "/api/auth/login", body: "{not json", headers: malformed)
        #expect(login.status == 400)
        #expect(login.code == "INVALID_JSON")
    }

    @Test func aFieldOfTheWrongTypeIsAValidationFailure() async throws {
        let app = try await TestApp()
        let account = try await app.client().register()
        let client = app.inProcess()
        let cases: [(path: String, body: String, field: String, token: String?)] = [
            ("/api/auth/logout", #"{"allDevices": null}"#, "allDevices", account.accessToken),
            ("/api/auth/logout", #"{"allDevices": "yes"}"#, "allDevices", account.accessToken),
            // The header's token is valid: the body's must still be a string.
            ("/api/auth/verify-token", #"{"token": 42}"#, "token", account.accessToken),
            ("/api/auth/verify-token", #"{"token": null}"#, "token", nil),
            ("/api/auth/verify-token", #"{"token": ["a"]}"#, "token", nil),
            ("/api/auth/refresh", #"{"refreshToken": 7}"#, "refreshToken", nil),
            ("/api/auth/login", #"{"email": 5, "password": "correct horse battery"}"#, "email", nil),
        ]
        for (path, body, field, token) in cases {
            let response = try await client.call("POST", path, body: body, token: token, headers: malformed)
            #expect(response.status == 400, "\(path) \(body)")
            #expect(response.code == "VALIDATION_FAILED", "\(path) \(body)")
            let fields = (response.json["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? []
            #expect(fields == [field], "\(path) \(body)")
        }
        // Nothing was logged out on the way.
        #expect(try await client.call("GET", "/api/auth/me", token: account.accessToken).status == 200)
    }
}
