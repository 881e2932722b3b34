import FoundationEssentials
import Outbound

extension AppConfiguration {
    /// `OIDC_PROVIDERS` and each `OIDC_<NAME>_ISSUER`, `_CLIENT_ID`, `_CLIENT_SECRET`,
    /// `_REDIRECT_URI`; `OAUTH_SUCCESS_URL`. Read after `PUBLIC_URL` and `APP_URL`.
    mutating func readOIDCSettings(_ settings: inout SettingsReader) {
        oidc.successURL = settings.read("OAUTH_SUCCESS_URL", "the frontend URL that completes a sign-in, such as https://app.example.com/auth/callback") {
            SettingParsers.isBaseURL($0) ? $0 : nil
        } ?? appURL + "/auth/callback"
        oidc.connectTimeout = settings.interval("OIDC_CONNECT_TIMEOUT", default: oidc.connectTimeout)
        oidc.timeout = settings.interval("OIDC_TIMEOUT", default: oidc.timeout)
        oidc.jwksRefetchInterval = settings.interval("OIDC_JWKS_REFETCH_INTERVAL", default: oidc.jwksRefetchInterval, allowingZero: true)
        let names = settings.read("OIDC_PROVIDERS", "comma-separated provider names of letters, digits and _, such as google") { text -> [String]? in
            let names = SettingParsers.list(text).map { $0.lowercased() }
            let valid = names.allSatisfy { name in name.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F } }
            return valid && Set(names).count == names.count ? names : nil
        } ?? []
        for name in names {
            if let provider = readProvider(name, &settings) { oidc.providers.append(provider) }
        }
    }

    private func readProvider(_ name: String, _ settings: inout SettingsReader) -> OIDCSettings.Provider? {
        let prefix = "OIDC_\(name.uppercased())_"
        let issuer = settings.read(prefix + "ISSUER", "the provider's issuer URL, such as https://accounts.google.com") { text -> String? in
            guard let url = URLComponents(string: text), url.query == nil, url.fragment == nil, url.user == nil, let host = url.host, !host.isEmpty
            else { return nil }
            return text
        } ?? (name == "google" ? OIDCSettings.googleIssuer : nil)
        let clientID = settings.raw(prefix + "CLIENT_ID")
        let clientSecret = settings.raw(prefix + "CLIENT_SECRET")
        let redirectURI = settings.read(prefix + "REDIRECT_URI", "the frontend URL the provider redirects to") {
            SettingParsers.isBaseURL($0) ? $0 : nil
        }
        var missing = [String]()
        if issuer == nil && settings.raw(prefix + "ISSUER") == nil { missing.append(prefix + "ISSUER") }
        if clientID == nil { missing.append(prefix + "CLIENT_ID") }
        if clientSecret == nil { missing.append(prefix + "CLIENT_SECRET") }
        if !missing.isEmpty {
            settings.problem("OIDC_PROVIDERS names \(name), but \(missing.joined(separator: ", ")) \(missing.count == 1 ? "is" : "are") not set")
        }
        guard let issuer, let clientID, let clientSecret else { return nil }
        // The ID token's signature is only as good as the channel its keys came over.
        let scheme = URLComponents(string: issuer)?.scheme?.lowercased()
        let host = URLComponents(string: issuer)?.host ?? ""
        if scheme != "https" && !(scheme == "http" && LoopbackHost.contains(host) && !isProduction) {
            settings.problem("\(prefix)ISSUER=\(issuer) must be https:// (http:// only to a loopback address, outside production)")
            return nil
        }
        return OIDCSettings.Provider(name: name, issuer: issuer, clientID: clientID, clientSecret: clientSecret,
                                     callbackURI: "\(publicURL)/api/auth/oauth/\(name)/callback", frontendRedirectURI: redirectURI)
    }
}
