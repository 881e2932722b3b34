import Foundation
import Testing
import TestHTTPClient

@Suite("Device cookies: someone failing logins against an account cannot lock its owner out")
struct DeviceCookieTests {
    private func from(_ ip: String, cookie: String? = nil) -> [(String, String)] {
        [("X-Forwarded-For", ip)] + (cookie.map { [("Cookie", "deviceToken=\($0)")] } ?? [])
    }

    @Test func theOwnersBrowserStillLogsInWhileOthersHaveLockedTheAccount() async throws {
        let app = try await TestApp(["ACCOUNT_MAX_FAILURES": "3", "TRUST_PROXY": "loopback"])
        let client = try app.client()
        let owner = try await client.register()
        let signedIn = try await client.login(owner.email, owner.password, headers: from("198.51.100.10"))
        let device = try #require(signedIn.cookie("deviceToken"))
        #expect(device.attributes.contains("HttpOnly"))
        #expect(device.attributes.contains("Path=/api/auth/login"))

        let stranger = try await client.register()
        let strangersDevice = try #require(try await client.login(stranger.email, stranger.password, headers: from("198.51.100.20"))
            .cookie("deviceToken")).value

        for index in 0..<3 {
            #expect(try await client.login(owner.email, "a guess", headers: from("203.0.113.\(index)")).status == 401)
        }
        // Without the cookie the owner is locked out with everyone else.
        #expect(try await client.login(owner.email, owner.password, headers: from("198.51.100.10")).status == 429)
        // A forged cookie, a tampered one, or one another account earned exempts no one.
        let nonce = device.value.split(separator: ".")[0]
        let tampered = "\(nonce).\(String(repeating: "A", count: 43))"
        for cookie in ["forged.cookie", tampered, strangersDevice, ""] {
            let refused = try await client.login(owner.email, owner.password, headers: from("198.51.100.10", cookie: cookie))
            #expect(refused.status == 429, "deviceToken=\(cookie)")
        }
        // With its own cookie the owner's browser gets in, and it can use it again.
        let exempt = try await client.login(owner.email, owner.password, headers: from("198.51.100.10", cookie: device.value))
        #expect(exempt.status == 200)
        #expect(exempt.cookie("deviceToken") != nil)
    }

    @Test func aDeviceCookieDoesNotExemptFromThePerClientLimit() async throws {
        let app = try await TestApp(["LOGIN_MAX_FAILURES": "2", "TRUST_PROXY": "loopback"])
        let client = try app.client()
        let owner = try await client.register()
        let device = try #require(try await client.login(owner.email, owner.password, headers: from("198.51.100.30")).cookie("deviceToken")).value
        for _ in 0..<2 {
            #expect(try await client.login(owner.email, "a guess", headers: from("198.51.100.30", cookie: device)).status == 401)
        }
        let limited = try await client.login(owner.email, owner.password, headers: from("198.51.100.30", cookie: device))
        #expect(limited.status == 429)
        #expect(limited.code == "TOO_MANY_ATTEMPTS")
    }
}
