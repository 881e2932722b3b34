import AuthCrypto
import FoundationEssentials
import JSON
import Outbound
import Reactor
import Synchronization

/// One configured provider as the server talks to it: its discovery document and JWKS, cached,
/// and the token endpoint. Every call goes through `HTTPSClient` on the provider pool (a few
/// threads of its own, bounded queue), so a provider that hangs holds one of those threads for
/// at most the timeout, and never an event loop, a bcrypt thread or a database connection.
final class OpenIDProvider: Sendable {
    let settings: OIDCSettings.Provider
    private let client: HTTPSClient
    private let pool: BlockingPool
    /// Least seconds between two JWKS fetches prompted by an unknown `kid`.
    private let keysRefetchInterval: Double
    private let cache = Mutex(Cache())

    private struct Cache {
        var metadata: ProviderMetadata?
        var metadataFetchedAt: ContinuousClock.Instant?
        var keys: JWKSet?
        var keysFetchedAt: ContinuousClock.Instant?
    }

    /// A provider's endpoints rarely move; read them again daily all the same.
    private static let metadataLifetime = Duration.seconds(24 * 3600)

    init(settings: OIDCSettings.Provider, client: HTTPSClient, pool: BlockingPool, keysRefetchInterval: Double) {
        self.settings = settings
        self.client = client
        self.pool = pool
        self.keysRefetchInterval = keysRefetchInterval
    }

    /// The discovery document of `ISSUER/.well-known/openid-configuration`, cached.
    func metadata() async throws(OAuthFailure) -> ProviderMetadata {
        let now = ContinuousClock.now
        if let cached = cache.withLock({ cache in
            cache.metadataFetchedAt.map { now - $0 < Self.metadataLifetime } == true ? cache.metadata : nil
        }) {
            return cached
        }
        let issuer = settings.issuer
        let url = String(issuer.reversed().drop { $0 == "/" }.reversed()) + "/.well-known/openid-configuration"
        let metadata = try ProviderMetadata(json: try await json(get: url, what: "discovery"), expectedIssuer: issuer)
        cache.withLock { cache in
            cache.metadata = metadata
            cache.metadataFetchedAt = now
        }
        return metadata
    }

    /// Verifies an ID token against the provider's keys. On an unknown `kid` the JWKS is fetched
    /// again, once, unless the last fetch is more recent than the refetch interval: a provider
    /// that rotated is followed within the interval, and a token with a made-up `kid` costs the
    /// provider at most one request per interval.
    func verify(idToken: String, nonce: String, leeway: Int) async throws(OAuthFailure) -> IDToken {
        let metadata = try await metadata()
        let (cachedKeys, cachedAt) = cache.withLock { ($0.keys, $0.keysFetchedAt) }
        var keys: JWKSet
        var fetchedAt = cachedAt
        if let cachedKeys {
            keys = cachedKeys
        } else {
            keys = try await fetchKeys(metadata)
            fetchedAt = .now
        }
        let mayRefetch = fetchedAt.map { ContinuousClock.now - $0 >= .seconds(keysRefetchInterval) } ?? true
        do throws(JWTError) {
            return try verify(idToken, nonce: nonce, keys: keys, leeway: leeway)
        } catch .unknownKeyID where mayRefetch {
            keys = try await fetchKeys(metadata)
        } catch {
            throw .tokenInvalid(reason: "ID token: \(error)")
        }
        do throws(JWTError) {
            return try verify(idToken, nonce: nonce, keys: keys, leeway: leeway)
        } catch {
            throw .tokenInvalid(reason: "ID token: \(error)")
        }
    }

    private func verify(_ idToken: String, nonce: String, keys: JWKSet, leeway: Int) throws(JWTError) -> IDToken {
        try IDToken(verifying: idToken, keys: keys, issuer: settings.issuer, clientID: settings.clientID, nonce: nonce,
                    now: Int(Date().timeIntervalSince1970), leeway: leeway)
    }

    private func fetchKeys(_ metadata: ProviderMetadata) async throws(OAuthFailure) -> JWKSet {
        let now = ContinuousClock.now
        // Claimed before the fetch: concurrent unknown-kid tokens make one request, not many.
        cache.withLock { $0.keysFetchedAt = now }
        let body = try await fetch(what: "JWKS") { [client] () throws(HTTPSClientError) in try client.get(metadata.jwksURI) }
        let keys: JWKSet
        do {
            keys = try JWKSet(json: body)
        } catch {
            throw .exchangeFailed(reason: "JWKS: \(error)")
        }
        cache.withLock { $0.keys = keys }
        return keys
    }

    /// Exchanges an authorization code (RFC 6749 §4.1.3, with the PKCE verifier of RFC 7636
    /// §4.5) for the provider's ID token. The client authenticates with `client_secret_basic`
    /// unless the provider supports only `client_secret_post`.
    func exchange(code: String, verifier: String, redirectURI: String) async throws(OAuthFailure) -> String {
        let metadata = try await metadata()
        var form = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI), ("code_verifier", verifier)]
        var headers = [("Accept", "application/json")]
        if metadata.tokenEndpointAuthMethods.contains("client_secret_basic") || !metadata.tokenEndpointAuthMethods.contains("client_secret_post") {
            // RFC 6749 §2.3.1: each part form-encoded, then joined by ":" and base64-encoded.
            let credentials = FormURLEncoding.escape(settings.clientID) + ":" + FormURLEncoding.escape(settings.clientSecret)
            headers.append(("Authorization", "Basic " + Data(credentials.utf8).base64EncodedString()))
        } else {
            form += [("client_id", settings.clientID), ("client_secret", settings.clientSecret)]
        }
        let fields = form.map { (name: $0.0, value: $0.1) }
        let headerFields = headers.map { (name: $0.0, value: $0.1) }
        let response = try await json(what: "token endpoint") { [client] () throws(HTTPSClientError) in
            try client.post(metadata.tokenEndpoint, form: fields, headers: headerFields)
        }
        guard let idToken = response["id_token"]?.stringValue else { throw .exchangeFailed(reason: "token endpoint answered no id_token") }
        return idToken
    }

    private func json(get url: String, what: String) async throws(OAuthFailure) -> [String: JSONValue] {
        try await json(what: what) { [client] () throws(HTTPSClientError) in try client.get(url) }
    }

    private func json(what: String, _ call: @escaping @Sendable () throws(HTTPSClientError) -> HTTPSResponse) async throws(OAuthFailure)
        -> [String: JSONValue]
    {
        let body = try await fetch(what: what, call)
        do {
            return try JSONParser.parseObject(body)
        } catch {
            throw .exchangeFailed(reason: "\(what) answered no JSON object")
        }
    }

    /// The body of a 200 answer; any failure becomes `exchangeFailed` (`codeRejected` when the code
    /// itself was refused), naming the endpoint and, for an OAuth error answer, its `error` code
    /// (RFC 6749 §5.2), never its body.
    private func fetch(what: String, _ call: @escaping @Sendable () throws(HTTPSClientError) -> HTTPSResponse) async throws(OAuthFailure)
        -> [UInt8]
    {
        let response: HTTPSResponse
        do {
            response = try await pool.run { try call() }
        } catch let error as HTTPSClientError {
            throw .exchangeFailed(reason: "\(what): \(error)")
        } catch is BlockingPool.Overloaded {
            throw .exchangeFailed(reason: "\(what): too many provider calls in flight")
        } catch {
            throw .exchangeFailed(reason: "\(what): \(error)")
        }
        guard response.status == 200 else {
            let error = (try? JSONParser.parseObject(response.body))?["error"]?.stringValue
            let reason = "\(what) answered \(response.status)" + (error.map { " \($0.prefix(64))" } ?? "")
            throw response.status == 400 && error == "invalid_grant" ? .codeRejected(reason: reason) : .exchangeFailed(reason: reason)
        }
        return response.body
    }
}
