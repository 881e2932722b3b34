import PostgresClient

/// `oauth_states`: authorization requests in flight, shared by every instance.
struct OAuthStateRepository: Sendable {
    /// How long a user has to finish at the provider.
    static let lifetime = 600

    /// Stores a new request, purging a few abandoned ones on the way (bounded, so an insert
    /// never does much more than its own work).
    func insert(stateHash: [UInt8], provider: String, browserHash: [UInt8], redirectURI: String, on database: some SQLRunner) async throws {
        _ = try await database.query("""
            WITH purged AS (
                DELETE FROM oauth_states WHERE state_hash IN (SELECT state_hash FROM oauth_states WHERE expires_at < now() LIMIT 20)
            )
            INSERT INTO oauth_states (state_hash, provider, browser_hash, redirect_uri, expires_at)
            VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))
            """, [.bytes(stateHash), .text(provider), .bytes(browserHash), .text(redirectURI), .int(Self.lifetime)])
    }

    /// Takes the request for good, in one statement, so two callbacks with one state cannot
    /// both succeed. Only a match of state, provider and browser binding consumes it: a state
    /// replayed from another browser leaves the real one's sign-in intact. Answers the
    /// redirect URI it was made for; nil when there is no such live request.
    func consume(stateHash: [UInt8], provider: String, browserHash: [UInt8], on database: some SQLRunner) async throws -> String? {
        let result = try await database.query("""
            DELETE FROM oauth_states WHERE state_hash = $1 AND provider = $2 AND browser_hash = $3
            RETURNING redirect_uri, expires_at > now() AS live
            """, [.bytes(stateHash), .text(provider), .bytes(browserHash)])
        guard let row = result.rows.first, try row.bool("live") else { return nil }
        return try row.string("redirect_uri")
    }
}
