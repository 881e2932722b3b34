import HTTPServer
import Testing
@testable import AuthApp

@Suite("Limiter keys: IPv6 by /64, accounts by bounded emails")
struct RateLimitKeyTests {
    private func address(_ text: String) -> IPAddress { IPAddress(text)! }

    @Test func anIPv6ClientIsKeyedByItsSlash64AndAnIPv4OneByItsAddress() {
        let sameSubnet = ["2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff:ffff:ffff:ffff"].map(address)
        for key in [RateLimitKey.requests(from:), RateLimitKey.failedLogins(from:)] {
            #expect(Set(sameSubnet.map(key)).count == 1)
            #expect(key(address("2001:db8:1:2::1")) != key(address("2001:db8:1:3::1")))
            #expect(key(address("203.0.113.1")) != key(address("203.0.113.2")))
            // What a dual-stack socket reports for an IPv4 peer is that IPv4 client.
            #expect(key(address("::ffff:203.0.113.1")) == key(address("203.0.113.1")))
        }
    }

    @Test func oneSlash64SharesOneRequestBudget() async throws {
        let app = try await TestApp(["RATE_LIMIT_MAX": "3"])
        for host in ["2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:abcd:ef01:2345:6789"] {
            #expect(try await app.inProcess(from: host).call("GET", "/api/auth/jwt-info").status == 200)
        }
        let limited = try await app.inProcess(from: "2001:db8:1:2::99").call("GET", "/api/auth/jwt-info")
        #expect(limited.status == 429)
        #expect(limited.code == "RATE_LIMITED")
        #expect(try await app.inProcess(from: "2001:db8:1:3::1").call("GET", "/api/auth/jwt-info").status == 200)
    }

    @Test func oneSlash64SharesOneFailedLoginBudget() async throws {
        let app = try await TestApp(["LOGIN_MAX_FAILURES": "2"])
        let account = try await app.client().register()
        let wrong: [String: Any] = ["email": account.email, "password": "not the password"]
        for host in ["2001:db8:5:6::1", "2001:db8:5:6::2"] {
            #expect(try await app.inProcess(from: host).call("POST", "/api/auth/login", json: wrong).status == 401)
        }
        let right: [String: Any] = ["email": account.email, "password": account.password]
        #expect(try await app.inProcess(from: "2001:db8:5:6::3").call("POST", "/api/auth/login", json: right).status == 429)
        #expect(try await app.inProcess(from: "2001:db8:5:7::1").call("POST", "/api/auth/login", json: right).status == 200)
    }
}
