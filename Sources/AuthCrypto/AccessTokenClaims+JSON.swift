import JSON

extension AccessTokenClaims {
    /// The payload we sign: sub, userId, email, email_verified, role, type, iat, exp, then nbf,
    /// jti, sid, iss and aud only when set (a single audience as a string, as PyJWT and most
    /// verifiers expect).
    func encodedJSON() -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.member("sub", subject)
        writer.member("userId", userId)
        writer.member("email", email)
        writer.member("email_verified", emailVerified)
        writer.member("role", role)
        writer.member("type", type)
        writer.member("iat", issuedAt)
        writer.member("exp", expiresAt)
        if let notBefore { writer.member("nbf", notBefore) }
        if let tokenId { writer.member("jti", tokenId) }
        if let sessionId { writer.member("sid", sessionId) }
        if let issuer { writer.member("iss", issuer) }
        if audience.count == 1 {
            writer.member("aud", audience[0])
        } else if !audience.isEmpty {
            writer.member("aud", audience)
        }
        writer.endObject()
        return writer.bytes
    }

    /// Reads the claims of a verified token's payload. `exp`, `iat`, `sub`, `email`, `role` and
    /// `type` (= "access") are required; `userId` defaults to `sub` and `email_verified` to false;
    /// every other claim we know must have its type when present; unknown claims are ignored.
    init(json: [String: JSONValue]) throws(JWTError) {
        let claims = JWTClaimReader(json: json)
        let subject = try claims.requiredString("sub")
        let type = try claims.requiredString("type")
        guard type == Self.accessType else { throw .invalidClaim("type") }
        self.init(
            subject: subject,
            userId: try claims.optionalString("userId"),
            email: try claims.requiredString("email"),
            emailVerified: try claims.optionalBool("email_verified") ?? false,
            role: try claims.requiredString("role"),
            type: type,
            issuedAt: try claims.requiredNumericDate("iat"),
            expiresAt: try claims.requiredNumericDate("exp"),
            notBefore: try claims.optionalNumericDate("nbf"),
            tokenId: try claims.optionalString("jti"),
            sessionId: try claims.optionalString("sid"),
            issuer: try claims.optionalString("iss"),
            audience: try claims.audience()
        )
    }
}
