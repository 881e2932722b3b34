import Foundation
import Testing
import TestHTTPClient

@Suite("POST /api/auth/register")
struct RegisterTests {
    @Test func createsTheAccountAndAnswersTheTokenResponse() async throws {
        let app = try await TestApp()
        let client = try app.client()
        let email = TestApp.uniqueEmail("Ada")
        let response = try await client.call("POST", "/api/auth/register", json: [
            "email": "  \(email.uppercased()) ", "password": "correct horse battery", "firstName": "Ada", "lastName": "Lovelace",
        ])
        #expect(response.status == 201)
        let json = response.json
        #expect(json["success"] as? Bool == true)
        let tokens = try #require(json["tokens"] as? [String: Any])
        #expect(tokens["tokenType"] as? String == "Bearer")
        #expect(tokens["expiresIn"] as? Int == 900)
        #expect(tokens["accessToken"] as? String == json["accessToken"] as? String)
        let refreshToken = try #require(tokens["refreshToken"] as? String)
        #expect(refreshToken.count == 43)

        let user = try #require(json["user"] as? [String: Any])
        #expect(user["email"] as? String == email.lowercased())
        #expect(user["name"] as? String == "Ada Lovelace")
        #expect(user["role"] as? String == "CANDIDATE")
        #expect(user["isActive"] as? Bool == true)
        #expect(user["filesUploaded"] as? Int == 0)
        #expect(user["company"] is NSNull)
        #expect(user["lastLoginAt"] is NSNull)
        #expect(UUID(uuidString: user["id"] as? String ?? "") != nil)
        #expect((user["createdAt"] as? String)?.hasSuffix("Z") == true)
        #expect(user["password"] == nil && user["passwordHash"] == nil)

        let cookie = try #require(response.cookie("refreshToken"))
        #expect(cookie.value == refreshToken)
        #expect(cookie.attributes.contains("HttpOnly"))
        #expect(cookie.attributes.contains("Path=/api/auth"))
        #expect(cookie.attributes.contains("SameSite=Strict"))
        #expect(cookie.attributes.contains("Max-Age=604800"))
        #expect(!cookie.attributes.contains("Secure"))
        #expect(response.header("Cache-Control") == "no-store")
    }

    @Test func employerRoleIsAccepted() async throws {
        let app = try await TestApp()
        let account = try await app.client().register(extra: ["role": "EMPLOYER", "company": "Analytical Engines"])
        #expect(account.user["role"] as? String == "EMPLOYER")
        #expect(account.user["company"] as? String == "Analytical Engines")
    }

    @Test(arguments: [
        (["email": "not-an-email", "password": "correct horse"], "email"),
        (["email": "a@b.co", "password": "short"], "password"),
        (["email": "a@b.co", "password": String(repeating: "é", count: 37)], "password"),
        (["email": "a@b.co", "password": "correct\u{0}horse"], "password"),
        (["email": "a@b.co", "password": "correct horse", "role": "ADMIN"], "role"),
        (["email": "a@b.co", "password": "correct horse", "role": "WIZARD"], "role"),
        (["email": "a@b.co", "password": "correct horse", "name": String(repeating: "n", count: 101)], "name"),
        (["password": "correct horse"], "email"),
        (["email": "a@b.co", "password": 12345678], "password"),
    ] as [([String: any Sendable], String)])
    func invalidInputIsA400NamingTheField(body: [String: any Sendable], field: String) async throws {
        let app = try await TestApp()
        let response = try await app.client().call("POST", "/api/auth/register", json: body)
        #expect(response.status == 400)
        #expect(response.code == "VALIDATION_FAILED")
        let errors = try #require(response.json["errors"] as? [[String: Any]])
        #expect(errors.contains { $0["field"] as? String == field })
    }

    @Test func aTakenEmailIs409() async throws {
        let app = try await TestApp()
        let client = try app.client()
        let account = try await client.register()
        let again = try await client.call("POST", "/api/auth/register", json: ["email": account.email.uppercased(), "password": "another password"])
        #expect(again.status == 409)
        #expect(again.code == "USER_EXISTS")
    }

    @Test func twentyConcurrentRegistrationsOfOneEmailMakeOneAccount() async throws {
        let app = try await TestApp()
        let email = TestApp.uniqueEmail("race")
        let statuses = await concurrently(20) {
            (try? await app.client().call("POST", "/api/auth/register", json: ["email": email, "password": "correct horse"]).status) ?? -1
        }
        // One winner; the others are told the email is taken, or, past the bounded bcrypt queue,
        // to come back shortly. Never a second account, never a 500.
        #expect(statuses.filter { $0 == 201 }.count == 1)
        #expect(statuses.allSatisfy { [201, 409, 503].contains($0) })
        let rows = try await Database.execute("SELECT count(*)::int AS n FROM users WHERE email = $1", [.text(email)])
        #expect(try rows.rows[0].int("n") == 1)
    }

    @Test func nonJSONBodiesAreRefused() async throws {
        let app = try await TestApp()
        let raw = try TestHTTPClient(port: app.port)
        let wrongType = try raw.request("POST", "/api/auth/register", headers: [("Content-Type", "text/plain")], body: "{}")
        #expect(wrongType.status == 415)
        #expect(wrongType.json["code"] as? String == "UNSUPPORTED_MEDIA_TYPE")
        let broken = try raw.request("POST", "/api/auth/register", headers: [("Content-Type", "application/json")], body: "{\"email\":")
        #expect(broken.status == 400)
        #expect(broken.json["code"] as? String == "INVALID_JSON")
    }
}
