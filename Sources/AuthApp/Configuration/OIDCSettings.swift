/// Sign in with a provider: `OIDC_PROVIDERS` and each provider's `OIDC_<NAME>_*` settings.
public struct OIDCSettings: Sendable {
    /// One OpenID provider as configured.
    public struct Provider: Sendable {
        /// Lowercase, as it appears in the routes (`/api/auth/oauth/google`).
        public let name: String
        public let issuer: String
        public let clientID: String
        public let clientSecret: String
        /// `PUBLIC_URL/api/auth/oauth/<name>/callback`: where the redirect flow sends the browser.
        public let callbackURI: String
        /// `OIDC_<NAME>_REDIRECT_URI`: a frontend that receives the provider's redirect itself
        /// and posts `{code, state}` to the callback; `?format=json` authorizations use it.
        public let frontendRedirectURI: String?
    }

    public var providers: [Provider] = []
    /// `OAUTH_SUCCESS_URL`: where the redirect flow lands, with `?error=CODE` on failure.
    public var successURL = ""
    /// Connect and total bounds of each call to a provider (`OIDC_CONNECT_TIMEOUT`, `OIDC_TIMEOUT`).
    public var connectTimeout: Double = 5
    public var timeout: Double = 10
    /// The least time between two fetches of a provider's JWKS on an unknown `kid`
    /// (`OIDC_JWKS_REFETCH_INTERVAL`): a token naming a made-up `kid` cannot make us hammer it.
    public var jwksRefetchInterval: Double = 60

    /// Google's issuer, the default of `OIDC_GOOGLE_ISSUER`.
    static let googleIssuer = "https://accounts.google.com"

    func provider(named name: String) -> Provider? {
        providers.first { $0.name == name }
    }
}
