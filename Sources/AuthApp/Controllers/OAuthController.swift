import JSON
import FoundationEssentials
import HTTPServer
import Outbound
import PostgresClient
import Reactor

/// Sign in with a provider (API.md, "Sign in with a provider (OpenID Connect)"):
/// `GET /api/auth/oauth/:provider` begins, `GET` or `POST /api/auth/oauth/:provider/callback`
/// finishes. No token ever travels in a URL: the redirect flow hands the session over in the
/// refresh cookie, and the frontend calls `POST /api/auth/refresh`.
struct OAuthController: Sendable {
    let providers: [String: OpenIDProvider]
    let states: OAuthStateRepository
    let secrets: AuthorizationSecrets
    let stateCookie: OAuthStateCookie
    let signIn: ProviderSignIn
    let tokens: TokenIssuer
    let cookie: RefreshCookie
    let audit: AuditTrail
    let successURL: String
    /// Clock skew allowed on the ID token's `exp` and `iat` (`JWT_LEEWAY`).
    let leeway: Int

    /// Longest `state` and `code` we pass on; real ones are far shorter.
    private static let maximumParameterLength = 2048

    func start(_ request: HTTPRequest, context: inout AppContext) async throws -> HTTPResponse {
        let provider = try provider(context)
        let wantsJSON = request.queryParameters["format"] == "json"
        let metadata: ProviderMetadata
        do {
            metadata = try await provider.metadata()
        } catch {
            await refused(error, provider: provider.settings.name, context: context)
            if wantsJSON { throw error }
            return redirect(to: failureURL(error))
        }
        let state = AuthorizationSecrets.newRandom()
        let binding = stateCookie.binding(from: Cookies(request))
        // The JSON flow is for a frontend that receives the provider's redirect itself, when it has one.
        let redirectURI = wantsJSON ? provider.settings.frontendRedirectURI ?? provider.settings.callbackURI : provider.settings.callbackURI
        try await states.insert(stateHash: AuthorizationSecrets.hash(state), provider: provider.settings.name,
                                browserHash: AuthorizationSecrets.hash(binding), redirectURI: redirectURI, on: signIn.database)
        let query = FormURLEncoding.encode([
            ("response_type", "code"), ("client_id", provider.settings.clientID), ("redirect_uri", redirectURI),
            ("scope", "openid email profile"), ("state", state), ("nonce", secrets.nonce(for: state)),
            ("code_challenge", AuthorizationSecrets.challenge(for: secrets.verifier(for: state))), ("code_challenge_method", "S256"),
        ].map { (name: $0.0, value: $0.1) })
        let url = metadata.authorizationEndpoint + (metadata.authorizationEndpoint.contains("?") ? "&" : "?") + query
        var response = wantsJSON ? HTTPResponse.json(AuthorizationURL(url: url)) : redirect(to: url)
        response.headers.add("Set-Cookie", stateCookie.set(binding))
        return response
    }

    /// The provider sent the browser back here: on success the refresh cookie and a 302 to
    /// `OAUTH_SUCCESS_URL`; on any failure a 302 there with `?error=CODE`.
    func callback(_ request: HTTPRequest, context: inout AppContext) async throws -> HTTPResponse {
        let provider = try provider(context)
        let query = request.queryParameters
        do {
            let outcome = try await complete(provider, code: query["code"], state: query["state"], error: query["error"],
                                             request: request, context: context)
            var response = redirect(to: successURL)
            response.headers.add("Set-Cookie", cookie.set(outcome.refreshToken))
            response.headers.add("Set-Cookie", stateCookie.cleared)
            return response
        } catch let failure as OAuthFailure {
            return redirect(to: failureURL(failure))
        }
    }

    /// A frontend that received the provider's redirect posts `{code, state}`: the token
    /// response, or the failure in the error shape.
    func callbackJSON(_ request: HTTPRequest, context: inout AppContext) async throws -> HTTPResponse {
        let provider = try provider(context)
        var body = try RequestBody(request)
        let state = body.string("state")
        let error = body.optionalString("error")
        let code = error == nil ? body.string("code") : body.optionalString("code")
        try body.validate()
        let outcome = try await complete(provider, code: code, state: state, error: error, request: request, context: context)
        var response = TokenResponse(user: outcome.user, accessToken: tokens.accessToken(for: outcome.user, sessionID: outcome.sessionID),
                                     refreshToken: outcome.refreshToken, expiresIn: tokens.accessTokenTTL).response(cookie: cookie)
        response.headers.add("Set-Cookie", stateCookie.cleared)
        return response
    }

    /// The checks in order: the state and its browser binding (consumed whatever follows), the
    /// provider's answer, the code exchange, the ID token, then the linking rules. Every refusal
    /// is a security event naming the provider and the reason.
    private func complete(_ provider: OpenIDProvider, code: String?, state: String?, error: String?, request: HTTPRequest,
                          context: AppContext) async throws -> ProviderSignIn.Outcome {
        do {
            let name = provider.settings.name
            guard let state, !state.isEmpty, state.utf8.count <= Self.maximumParameterLength else {
                throw OAuthFailure.stateInvalid(reason: "no state")
            }
            guard let binding = Cookies(request)[OAuthStateCookie.name] else {
                throw OAuthFailure.stateInvalid(reason: "no oauthState cookie")
            }
            guard let redirectURI = try await states.consume(stateHash: AuthorizationSecrets.hash(state), provider: name,
                                                             browserHash: AuthorizationSecrets.hash(binding), on: signIn.database)
            else { throw OAuthFailure.stateInvalid(reason: "state unknown, expired, used, or bound to another browser") }
            if let error {
                // The provider's code names the refusal; only its token characters reach the log.
                let shown = String(error.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || $0 == "_") }.prefix(64))
                throw OAuthFailure.denied(reason: "provider answered error \(shown)")
            }
            guard let code, !code.isEmpty, code.utf8.count <= Self.maximumParameterLength else {
                throw OAuthFailure.denied(reason: "provider sent no code")
            }
            let idToken = try await provider.exchange(code: code, verifier: secrets.verifier(for: state), redirectURI: redirectURI)
            let token = try await provider.verify(idToken: idToken, nonce: secrets.nonce(for: state), leeway: leeway)
            return try await signIn.signIn(provider: name, token: token, userAgent: request.headers["User-Agent"],
                                           clientIP: context.clientHost, origin: context.auditOrigin)
        } catch let failure as OAuthFailure {
            await refused(failure, provider: provider.settings.name, context: context)
            throw failure
        }
    }

    private func provider(_ context: AppContext) throws -> OpenIDProvider {
        guard let name = context.route.parameters["provider"], let provider = providers[name] else { throw OAuthFailure.unknownProvider }
        return provider
    }

    /// The refusal's security event; should the database be unreachable, its log line alone.
    private func refused(_ failure: OAuthFailure, provider: String, context: AppContext) async {
        let event = AuditEvent(.providerSignInRefused, user: nil, details: [("provider", provider), ("code", failure.code), ("reason", failure.reason)])
        do {
            try await audit.record(event, from: context.auditOrigin, on: signIn.database)
        } catch {
            audit.log(event, from: context.auditOrigin)
        }
    }

    private func failureURL(_ failure: OAuthFailure) -> String {
        successURL + (successURL.contains("?") ? "&" : "?") + "error=" + failure.code
    }

    private func redirect(to url: String) -> HTTPResponse {
        var response = HTTPResponse(status: .found)
        response.headers.add("Location", url)
        return response
    }
}

/// `?format=json`: the authorization URL for a frontend to navigate to itself.
struct AuthorizationURL: JSONWritable {
    let url: String

    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.member("success", true)
        json.member("url", url)
        json.endObject()
    }
}

extension OAuthController {
    /// The controller for the configured providers, their calls made on `pool` through one
    /// HTTPS client that trusts the system's CAs and `EXTRA_CA_FILE`.
    init(configuration: AppConfiguration, pool: BlockingPool, database: PostgresDatabase, users: UserRepository,
         identities: IdentityRepository, sessions: SessionRepository, tokens: TokenIssuer, cookie: RefreshCookie, audit: AuditTrail) throws {
        let settings = configuration.oidc
        let client = HTTPSClient(trust: try CertificateTrust(extraCAFile: configuration.extraCAFile),
                                 timeouts: OutboundTimeouts(connect: settings.connectTimeout, total: settings.timeout),
                                 allowsPlainHTTPToLoopback: !configuration.isProduction)
        providers = Dictionary(uniqueKeysWithValues: settings.providers.map { provider in
            (provider.name, OpenIDProvider(settings: provider, client: client, pool: pool, keysRefetchInterval: settings.jwksRefetchInterval))
        })
        states = OAuthStateRepository()
        secrets = AuthorizationSecrets(serverSecret: configuration.serverSecret)
        stateCookie = OAuthStateCookie(secure: configuration.cookieSecure)
        signIn = ProviderSignIn(database: database, users: users, identities: identities, sessions: sessions,
                                emailTokens: EmailTokenRepository(), audit: audit)
        self.tokens = tokens
        self.cookie = cookie
        self.audit = audit
        successURL = settings.successURL
        leeway = configuration.jwtLeeway
    }
}
