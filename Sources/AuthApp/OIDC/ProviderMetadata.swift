import JSON

/// What a provider's discovery document (OpenID Connect Discovery 1.0 §3) tells us.
struct ProviderMetadata: Sendable {
    let issuer: String
    let authorizationEndpoint: String
    let tokenEndpoint: String
    let jwksURI: String
    /// `token_endpoint_auth_methods_supported`; absent means `client_secret_basic` (§3).
    let tokenEndpointAuthMethods: [String]

    /// Refuses a document whose `issuer` is not exactly `expectedIssuer` (§4.3): otherwise a
    /// provider could hand out keys and endpoints that speak for another.
    init(json: [String: JSONValue], expectedIssuer: String) throws(OAuthFailure) {
        func string(_ name: String) throws(OAuthFailure) -> String {
            guard let value = json[name]?.stringValue, !value.isEmpty else { throw .exchangeFailed(reason: "discovery has no \(name)") }
            return value
        }
        /// The browser is sent to one of these: nothing but a web URL.
        func endpoint(_ name: String) throws(OAuthFailure) -> String {
            let value = try string(name)
            guard value.hasPrefix("https://") || value.hasPrefix("http://") else { throw .exchangeFailed(reason: "discovery's \(name) is no web URL") }
            return value
        }
        issuer = try string("issuer")
        guard issuer == expectedIssuer else { throw .exchangeFailed(reason: "discovery names issuer \(issuer.prefix(200)), not the configured one") }
        authorizationEndpoint = try endpoint("authorization_endpoint")
        tokenEndpoint = try endpoint("token_endpoint")
        jwksURI = try endpoint("jwks_uri")
        tokenEndpointAuthMethods = json["token_endpoint_auth_methods_supported"]?.arrayValue?.compactMap(\.stringValue)
            ?? ["client_secret_basic"]
    }
}
