import HTTPServer
import Testing
@testable import AuthApp

@Suite("Configuration and policies, in process")
struct ConfigurationTests {
    @Test func defaultsFollowTheContract() async throws {
        let configuration = try AppConfiguration { _ in nil }
        #expect(configuration.port == 8080)
        #expect(configuration.accessTokenTTL == 900)
        #expect(configuration.refreshTokenTTL == 604_800)
        #expect(configuration.sessionMaxLifetime == 2_592_000)
        #expect(configuration.bcryptCost == 12)
        #expect(configuration.maxBodyBytes == 1_048_576)
        #expect(configuration.jwtSecretIsEphemeral)
        #expect(configuration.logFormat == .text)
        #expect(!configuration.cookieSecure)
    }

    @Test func durationsAndSizesTakeTheirSuffixes() async throws {
        let values = ["ACCESS_TOKEN_TTL": "15m", "REFRESH_TOKEN_TTL": "2d", "HEADER_TIMEOUT": "500ms", "MAX_BODY_BYTES": "64KB",
                      "COOKIE_SAMESITE": "none", "APP_ENV": "production", "JWT_ACCESS_SECRET": String(repeating: "k", count: 32),
                      "SERVER_SECRET": String(repeating: "s", count: 32)]
        let configuration = try AppConfiguration { values[$0] }
        #expect(configuration.accessTokenTTL == 900)
        #expect(configuration.refreshTokenTTL == 172_800)
        #expect(configuration.headerTimeout == 0.5)
        #expect(configuration.maxBodyBytes == 65_536)
        #expect(configuration.cookieSameSite == .none && configuration.cookieSecure)
        #expect(configuration.logFormat == .json)
    }

    @Test func everyProblemIsReportedAtOnce() {
        let values = ["PORT": "http", "BCRYPT_COST": "3", "RATE_LIMIT_STORE": "redis", "TRUST_PROXY": "10.0.0.0/33",
                      "APP_ENV": "production", "JWT_ACCESS_SECRET": "short"]
        #expect {
            try AppConfiguration { values[$0] }
        } throws: { error in
            let problems = (error as? ConfigurationError)?.problems ?? []
            return problems.count == 6 && problems.contains { $0.hasPrefix("PORT=http") }
                && problems.contains { $0.hasPrefix("SERVER_SECRET is not set") }
                && problems.contains { $0.contains("BCRYPT_COST=3") && $0.contains("4 to 31") }
                && problems.contains { $0.contains("JWT_ACCESS_SECRET is 5 bytes") }
        }
    }

    private func problems(_ values: [String: String]) -> [String] {
        do {
            _ = try AppConfiguration { values[$0] }
            return []
        } catch {
            return (error as? ConfigurationError)?.problems ?? ["\(error)"]
        }
    }

    private static let productionSecrets = ["APP_ENV": "production", "JWT_ACCESS_SECRET": String(repeating: "k", count: 32),
                                            "SERVER_SECRET": String(repeating: "s", count: 32)]

    @Test func aWildcardCORSOriginIsRefusedAtStart() {
        for origins in ["*", "https://app.example.com, *", " * "] {
            let found = problems(["CORS_ORIGINS": origins])
            #expect(found.count == 1 && found[0].hasPrefix("CORS_ORIGINS=") && found[0].contains("never *"), "\(origins)")
        }
        #expect(problems(["CORS_ORIGINS": "https://app.example.com, http://localhost:3000"]).isEmpty)
    }

    @Test func productionRefusesABcryptCostUnder10AndAMissingServerSecret() {
        var values = Self.productionSecrets
        values["BCRYPT_COST"] = "9"
        #expect(problems(values).contains { $0.hasPrefix("BCRYPT_COST=9 is too cheap for production") })
        values["BCRYPT_COST"] = "10"
        #expect(problems(values).isEmpty)
        values["SERVER_SECRET"] = nil
        #expect(problems(values).contains { $0.hasPrefix("SERVER_SECRET is not set; production refuses to start") })
        // The server secret is the one partners never hold: it cannot be the JWT secret.
        values["SERVER_SECRET"] = values["JWT_ACCESS_SECRET"]
        #expect(problems(values).contains { $0.hasPrefix("SERVER_SECRET equals JWT_ACCESS_SECRET") })
        // Outside production a cheap cost is for tests, and a missing secret is generated per process.
        let development = try? AppConfiguration { ["BCRYPT_COST": "4"][$0] }
        #expect(development?.bcryptCost == 4 && development?.serverSecretIsEphemeral == true)
    }

    @Test func everyLifetimeAcceptsAnyPositiveDuration() throws {
        let values = ["ACCESS_TOKEN_TTL": "1s", "REFRESH_TOKEN_TTL": "2s", "SESSION_MAX_LIFETIME": "5s", "REFRESH_REUSE_INTERVAL": "1s",
                      "RATE_LIMIT_WINDOW": "2", "JWT_LEEWAY": "0", "HEADER_TIMEOUT": "250ms"]
        let configuration = try AppConfiguration { values[$0] }
        #expect(configuration.accessTokenTTL == 1)
        #expect(configuration.refreshTokenTTL == 2)
        #expect(configuration.sessionMaxLifetime == 5)
        #expect(configuration.refreshReuseInterval == 1)
        #expect(configuration.rateLimitWindow == 2)
        #expect(configuration.headerTimeout == 0.25)
        // A fraction rounds up: no positive lifetime becomes zero.
        #expect(try AppConfiguration { ["ACCESS_TOKEN_TTL": "500ms"][$0] }.accessTokenTTL == 1)
        for bad in ["0", "-2s", "soon"] {
            let found = problems(["REFRESH_TOKEN_TTL": bad])
            #expect(found.count == 1 && found[0].hasPrefix("REFRESH_TOKEN_TTL=") && found[0].contains("a positive duration"), "\(bad): \(found)")
        }
    }

    /// Found writing the SettingParsers fuzz target, which now checks it: `1e300` passed as a duration, then trapped
    /// converting to whole seconds (lifetimes) or to UInt64 nanoseconds (timeouts).
    @Test func durationsBeyondAHundredYearsAreRefusedNotTrappedOn() throws {
        for (name, value) in [("REFRESH_TOKEN_TTL", "1e300"), ("ACCESS_TOKEN_TTL", "1e17d"), ("HEADER_TIMEOUT", "2e10"),
                              ("IDLE_TIMEOUT", "inf"), ("SHUTDOWN_TIMEOUT", "36600d")] {
            let found = problems([name: value])
            #expect(found.count == 1 && found[0].hasPrefix("\(name)="), "\(name)=\(value): \(found)")
        }
        #expect(try AppConfiguration { ["IDLE_TIMEOUT": "36500d"][$0] }.idleTimeout == 36500 * 86400)
    }

    @Test func connectionCapsReachTheHTTPServer() throws {
        let values = ["MAX_CONNECTIONS": "500", "MAX_CONNECTIONS_PER_IP": "7", "TRUST_PROXY": "10.0.0.0/8", "HEADER_TIMEOUT": "3s"]
        let server = try AppConfiguration { values[$0] }.serverConfiguration
        #expect(server.maxConnections == 500)
        #expect(server.maxConnectionsPerClient == 7)
        #expect(server.headerTimeout == 3)
        // Trusted proxies carry many clients: exempt from the per-client cap.
        #expect(server.isExemptFromClientLimit(IPAddress("10.1.2.3")!))
        #expect(!server.isExemptFromClientLimit(IPAddress("203.0.113.9")!))
        #expect(try AppConfiguration { _ in nil }.maxConnectionsPerIP == 256)
    }

    @Test func forwardedForIsWalkedRightToLeftPastTrustedHops() {
        let proxies = TrustedProxies(["loopback", "10.0.0.0/8", "fd00::/8"])
        func client(_ peer: String, _ forwardedFor: [String]) -> String {
            proxies.clientIP(peer: IPAddress(peer)!, forwardedFor: forwardedFor).description
        }
        #expect(client("127.0.0.1", ["203.0.113.9, 10.1.2.3"]) == "203.0.113.9")
        #expect(client("::1", ["198.51.100.1, 203.0.113.9", "fd12::1"]) == "203.0.113.9")
        #expect(client("192.0.2.1", ["203.0.113.9"]) == "192.0.2.1")
        #expect(client("10.0.0.1", ["garbage, 10.0.0.2"]) == "10.0.0.2")
        #expect(client("10.0.0.1", ["10.0.0.3"]) == "10.0.0.3")
        #expect(proxies.isTrusted(IPAddress("::ffff:10.9.9.9")!))
        #expect(!proxies.isTrusted(IPAddress("11.0.0.1")!))
        #expect(!TrustedProxies.isValidEntry("10.0.0.0/33"))
        #expect(!TrustedProxies.isValidEntry("example.com"))
        // A "," after a prepended mark (U+0600) still separates hops: the header is bytes.
        #expect(client("10.0.0.1", ["203.0.113.9, \u{600},10.0.0.2"]) == "10.0.0.2")
        #expect(client("10.0.0.1", ["203.0.113.9,\u{600}", "10.0.0.2"]) == "10.0.0.2")
    }

    /// Found by the SettingParsers fuzz target (Fuzz/Corpus/SettingParsers/finding-prepend-mark-before-comma).
    @Test func listsSplitOnTheCommaByte() {
        #expect(SettingParsers.list("a\u{604},b, c ,,") == ["a\u{604}", "b", "c"])
    }

    /// Found by the Cookies fuzz target (Fuzz/Corpus/Cookies/finding-prepend-mark-before-semicolon):
    /// a ";" after U+0600, a grapheme that joins the next character, did not end the pair.
    @Test func cookiePairsSplitOnTheSemicolonByte() {
        let cookies = Cookies(headers: ["a=x\u{600}; refresh_token=second", "b=\"\u{301}q\""])
        #expect(cookies["a"] == "x\u{600}")
        #expect(cookies["refresh_token"] == "second")
        #expect(cookies["b"] == "\u{301}q")
    }

    @Test func passwordAndEmailPolicies() {
        #expect(PasswordPolicy.problem(with: "12345678") == nil)
        #expect(PasswordPolicy.problem(with: "1234567") != nil)
        #expect(PasswordPolicy.problem(with: String(repeating: "a", count: 72)) == nil)
        #expect(PasswordPolicy.problem(with: String(repeating: "a", count: 73)) != nil)
        #expect(PasswordPolicy.problem(with: "abcd\u{0}efgh") != nil)
        #expect(EmailAddress.normalize("  Ada@Example.COM ") == "ada@example.com")
        for bad in ["", "a@b", "@b.co", "a b@c.co", "a@b..co", "a@@b.co"] {
            #expect(EmailAddress.problem(with: bad) != nil)
        }
    }
}
