import Testing
@testable import AuthApp

@Suite("OIDC_* settings")
struct OIDCConfigurationTests {
    private static let production = ["APP_ENV": "production", "JWT_ACCESS_SECRET": String(repeating: "k", count: 32),
                                     "SERVER_SECRET": String(repeating: "s", count: 32)]

    private func load(_ values: [String: String]) throws -> AppConfiguration {
        try AppConfiguration { values[$0] }
    }

    private func problems(_ values: [String: String]) -> [String] {
        do {
            _ = try load(values)
            return []
        } catch {
            return (error as? ConfigurationError)?.problems ?? ["\(error)"]
        }
    }

    @Test func googleNeedsOnlyItsClientAndDefaultsItsIssuer() throws {
        let configuration = try load(["OIDC_PROVIDERS": "Google", "OIDC_GOOGLE_CLIENT_ID": "id.apps.googleusercontent.com",
                                      "OIDC_GOOGLE_CLIENT_SECRET": "secret", "PUBLIC_URL": "https://auth.example.com/",
                                      "APP_URL": "https://app.example.com"])
        let google = try #require(configuration.oidc.provider(named: "google"))
        #expect(google.issuer == "https://accounts.google.com")
        #expect(google.callbackURI == "https://auth.example.com/api/auth/oauth/google/callback")
        #expect(google.frontendRedirectURI == nil)
        #expect(configuration.oidc.successURL == "https://app.example.com/auth/callback")
    }

    @Test func noProvidersByDefault() throws {
        #expect(try load([:]).oidc.providers.isEmpty)
    }

    @Test func aProviderMissingItsSettingsIsNamedWithWhatIsMissing() {
        let found = problems(["OIDC_PROVIDERS": "acme"])
        #expect(found.count == 1 && found[0].contains("OIDC_ACME_ISSUER") && found[0].contains("OIDC_ACME_CLIENT_ID")
                && found[0].contains("OIDC_ACME_CLIENT_SECRET"))
    }

    @Test func plainHTTPIssuersOnlyOnLoopbackOutsideProduction() throws {
        let acme = ["OIDC_PROVIDERS": "acme", "OIDC_ACME_CLIENT_ID": "id", "OIDC_ACME_CLIENT_SECRET": "secret"]
        #expect(try load(acme.merging(["OIDC_ACME_ISSUER": "http://127.0.0.1:9000"]) { $1 }).oidc.providers.count == 1)
        #expect(try load(acme.merging(["OIDC_ACME_ISSUER": "http://localhost:9000/realms/x"]) { $1 }).oidc.providers.count == 1)
        #expect(problems(acme.merging(["OIDC_ACME_ISSUER": "http://idp.example.com"]) { $1 }).contains { $0.contains("must be https://") })
        #expect(problems(acme.merging(["OIDC_ACME_ISSUER": "http://127.0.0.1:9000"].merging(Self.production) { $1 }) { $1 })
            .contains { $0.contains("must be https://") })
        #expect(problems(acme.merging(["OIDC_ACME_ISSUER": "https://idp.example.com"].merging(Self.production) { $1 }) { $1 }).isEmpty)
    }

    @Test func providerNamesAreRouteSafeAndUnique() {
        #expect(problems(["OIDC_PROVIDERS": "a/b"]).contains { $0.hasPrefix("OIDC_PROVIDERS=") })
        #expect(problems(["OIDC_PROVIDERS": "google,google"]).contains { $0.hasPrefix("OIDC_PROVIDERS=") })
    }

    @Test func successURLAndTimeoutsAreSettable() throws {
        let configuration = try load(["OAUTH_SUCCESS_URL": "https://app.example.com/signed-in", "OIDC_TIMEOUT": "3s",
                                      "OIDC_JWKS_REFETCH_INTERVAL": "5m"])
        #expect(configuration.oidc.successURL == "https://app.example.com/signed-in")
        #expect(configuration.oidc.timeout == 3 && configuration.oidc.jwksRefetchInterval == 300)
    }

    @Test func theClientSecretIsNeverEchoed() {
        let found = problems(["OIDC_PROVIDERS": "acme", "OIDC_ACME_CLIENT_SECRET": "hunter2-very-secret", "OIDC_ACME_ISSUER": "ftp://x"])
        #expect(!found.isEmpty && !found.joined().contains("hunter2"))
    }
}
