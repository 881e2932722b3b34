extension AccessTokenJWT {
    /// Verifies `token` at `now` (Unix seconds) and returns its claims: first the JWS layer
    /// (`JWSVerifier`: size, segments, header, key, signature), then the access-token claims,
    /// expiry and `nbf` with the leeway, issuer and audience.
    public func verify(_ token: String, now: Int) throws(JWTError) -> AccessTokenClaims {
        let claims = try AccessTokenClaims(json: verifier.verifiedPayload(token))
        try JWTValidity.check(expiresAt: claims.expiresAt, notBefore: claims.notBefore, now: now, leeway: leeway)
        if let issuer, claims.issuer != issuer { throw .issuerMismatch }
        if let audience, !claims.audience.contains(audience) { throw .audienceMismatch }
        return claims
    }
}
