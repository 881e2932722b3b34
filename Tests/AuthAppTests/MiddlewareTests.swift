import Foundation
import Testing
import TestHTTPClient

@Suite("Request id, security headers, CORS, rate limits, in process")
struct MiddlewareTests {
    @Test func everyResponseCarriesARequestIdAndTheSecurityHeaders() async throws {
        let app = try await TestApp()
        let client = app.inProcess()
        for path in ["/health/live", "/api/auth/me", "/nowhere"] {
            let response = try await client.call("GET", path)
            #expect(response.header("X-Request-Id")?.isEmpty == false)
            #expect(response.header("X-Content-Type-Options") == "nosniff")
            #expect(response.header("X-Frame-Options") == "DENY")
            #expect(response.header("Referrer-Policy") == "no-referrer")
            #expect(response.header("Cache-Control") == "no-store")
            #expect(response.header("Strict-Transport-Security") == nil)
        }
        // Even a request the parser refused.
        let raw = try TestHTTPClient(port: app.port)
        try raw.send("GET / HTTP/1.1\r\n\r\n")
        let refused = try raw.readResponse()
        #expect(refused.status == 400)
        #expect(refused.header("X-Request-Id") != nil)
        #expect(refused.header("X-Content-Type-Options") == "nosniff")
    }

    @Test func productionAddsHSTSAndSecureCookies() async throws {
        let app = try await TestApp(["APP_ENV": "production", "BCRYPT_COST": "10"])
        let client = try app.client()
        #expect(try await client.call("GET", "/health/live").header("Strict-Transport-Security")?.contains("max-age=") == true)
        let account = try await client.register()
        #expect(account.response.cookie("refreshToken")?.attributes.contains("Secure") == true)
    }

    @Test func aSaneRequestIdIsKeptAndAnythingElseReplaced() async throws {
        let app = try await TestApp()
        let client = app.inProcess()
        #expect(try await client.call("GET", "/health/live", headers: [("X-Request-Id", "abc.DEF_123-x")]).header("X-Request-Id") == "abc.DEF_123-x")
        for bad in ["has space", String(repeating: "a", count: 129), "semi;colon"] {
            let id = try await client.call("GET", "/health/live", headers: [("X-Request-Id", bad)]).header("X-Request-Id")
            #expect(id != bad && id?.isEmpty == false)
        }
    }

    @Test func corsAnswersAllowedOriginsOnly() async throws {
        let app = try await TestApp(["CORS_ORIGINS": "http://localhost:3000,https://app.example.com"])
        let client = app.inProcess()
        let allowed = try await client.call("GET", "/api/auth/jwt-info", headers: [("Origin", "https://app.example.com")])
        #expect(allowed.header("Access-Control-Allow-Origin") == "https://app.example.com")
        #expect(allowed.header("Access-Control-Allow-Credentials") == "true")
        #expect(allowed.headers.contains { $0.name == "Vary" && $0.value.contains("Origin") })

        let other = try await client.call("GET", "/api/auth/jwt-info", headers: [("Origin", "https://evil.example")])
        #expect(other.header("Access-Control-Allow-Origin") == nil)
        #expect(other.header("Access-Control-Allow-Credentials") == nil)

        let preflight = try await client.call("OPTIONS", "/api/auth/login", headers: [
            ("Origin", "http://localhost:3000"), ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", "Content-Type, Authorization"),
        ])
        #expect(preflight.status == 204)
        #expect(preflight.header("Access-Control-Allow-Origin") == "http://localhost:3000")
        #expect(preflight.header("Access-Control-Allow-Methods")?.contains("POST") == true)
        #expect(preflight.header("Access-Control-Allow-Headers") == "content-type, authorization")
        #expect(preflight.header("Access-Control-Max-Age") != nil)

        // A method that is only a substring of the allowed list is not allowed.
        let odd = try await client.call("OPTIONS", "/api/auth/login", headers: [("Origin", "http://localhost:3000"), ("Access-Control-Request-Method", "ET")])
        #expect(odd.header("Access-Control-Allow-Methods") == nil)
    }

    @Test func apiRequestsPerIPAreLimitedButHealthIsNot() async throws {
        let app = try await TestApp(["RATE_LIMIT_MAX": "3"])
        let client = app.inProcess()
        for _ in 0..<3 {
            #expect(try await client.call("GET", "/api/auth/jwt-info").status == 200)
        }
        let limited = try await client.call("GET", "/api/auth/jwt-info")
        #expect(limited.status == 429)
        #expect(limited.code == "RATE_LIMITED")
        #expect(limited.header("Retry-After").flatMap(Int.init) != nil)
        #expect(try await client.call("GET", "/health/live").status == 200)
        #expect(try await client.call("GET", "/health").status == 200)
    }

    @Test func aForgedForwardedForIsIgnoredFromUntrustedPeers() async throws {
        let app = try await TestApp(["RATE_LIMIT_MAX": "2"])
        let client = app.inProcess()
        for index in 0..<2 {
            #expect(try await client.call("GET", "/api/auth/jwt-info", headers: [("X-Forwarded-For", "203.0.113.\(index)")]).status == 200)
        }
        #expect(try await client.call("GET", "/api/auth/jwt-info", headers: [("X-Forwarded-For", "203.0.113.99")]).status == 429)
    }

    @Test func unknownRoutesAre404AndWrongMethods405InTheErrorShape() async throws {
        let app = try await TestApp()
        let client = app.inProcess()
        let missing = try await client.call("GET", "/api/auth/nothing")
        #expect(missing.status == 404)
        #expect(missing.json["success"] as? Bool == false)
        let wrong = try await client.call("GET", "/api/auth/login")
        #expect(wrong.status == 405)
        #expect(wrong.header("Allow") == "POST")
        #expect(wrong.code == "METHOD_NOT_ALLOWED")
    }
}
