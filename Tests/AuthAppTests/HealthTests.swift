import Foundation
import Testing
import TestSockets
import TestHTTPClient

@Suite("Health endpoints and a database outage")
struct HealthTests {
    @Test func healthReportsTheDatabaseAndLiveAlwaysAnswers() async throws {
        let app = try await TestApp()
        let client = try app.client()
        let health = try await client.call("GET", "/health")
        #expect(health.status == 200)
        #expect(health.json["status"] as? String == "ok")
        #expect(health.json["database"] as? String == "up")
        #expect(health.json["uptimeSeconds"] is Int)
        #expect(health.json["version"] is String)
        #expect(try await client.call("HEAD", "/health").status == 200)
        let live = try await client.call("GET", "/health/live")
        #expect(live.status == 200)
        #expect(live.json["status"] as? String == "ok")
    }

    @Test func outageTurnsHealthTo503AndRecoversWithoutARestart() async throws {
        let url = TestApp.databaseURL
        let port = try #require(URLComponents(string: url)?.port)
        let proxy = try TCPProxy(targetPort: port)
        let proxied = url.replacingOccurrences(of: ":\(port)/", with: ":\(proxy.port)/")
        let app = try await TestApp(["DATABASE_URL": proxied])
        let client = try app.client()
        let account = try await client.register()
        #expect(try await client.call("GET", "/health").status == 200)

        proxy.cut()
        let down = try await waitFor(client, status: 503, within: 5)
        #expect(down.json["status"] as? String == "degraded")
        #expect(down.json["database"] as? String == "down")
        #expect(try await client.call("GET", "/health/live").status == 200)
        let me = try await client.call("GET", "/api/auth/me", token: account.accessToken)
        #expect(me.status == 503)
        #expect(me.code == "DATABASE_UNAVAILABLE")

        proxy.restore()
        #expect(try await waitFor(client, status: 200, within: 10).json["database"] as? String == "up")
        #expect(try await client.call("GET", "/api/auth/me", token: account.accessToken).status == 200)
    }

    private func waitFor(_ client: APIClient, status: Int, within seconds: Double) async throws -> TestHTTPClient.Response {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let response = try await client.call("GET", "/health")
            if response.status == status || Date() > deadline { return response }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
