import JSON

extension AccessTokenClaims {
    /// The payload we sign: sub, userId, email, role, type, iat, exp, then nbf, jti, sid, iss and
    /// aud only when set (a single audience as a string, as PyJWT and most verifiers expect).
    func encodedJSON() -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.member("sub", subject)
        writer.member("userId", userId)
        writer.member("email", email)
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
    /// `type` (= "access") are required; `userId` defaults to `sub`; every other claim we know must
    /// have its type when present; unknown claims are ignored.
    init(json: [String: JSONValue]) throws(JWTError) {
        let claims = ClaimReader(json: json)
        let subject = try claims.requiredString("sub")
        let type = try claims.requiredString("type")
        guard type == Self.accessType else { throw .invalidClaim("type") }
        self.init(
            subject: subject,
            userId: try claims.optionalString("userId"),
            email: try claims.requiredString("email"),
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

/// Typed access to a claims object; a wrong type or missing required claim names the claim.
private struct ClaimReader {
    /// NumericDate values must be integers a Double carries exactly (|t| < 2^53).
    private static let numericDateLimit = Double(1 << 53)

    let json: [String: JSONValue]

    func optionalString(_ name: String) throws(JWTError) -> String? {
        switch json[name] {
        case nil: return nil
        case .string(let value): return value
        default: throw .invalidClaim(name)
        }
    }

    func requiredString(_ name: String) throws(JWTError) -> String {
        guard let value = try optionalString(name) else { throw .invalidClaim(name) }
        return value
    }

    /// RFC 7519 §2 NumericDate: a JSON number of seconds, possibly with a fraction (floored).
    func optionalNumericDate(_ name: String) throws(JWTError) -> Int? {
        switch json[name] {
        case nil: return nil
        case .number(let value) where value.isFinite && abs(value) < Self.numericDateLimit:
            return Int(value.rounded(.down))
        default: throw .invalidClaim(name)
        }
    }

    func requiredNumericDate(_ name: String) throws(JWTError) -> Int {
        guard let value = try optionalNumericDate(name) else { throw .invalidClaim(name) }
        return value
    }

    /// RFC 7519 §4.1.3: `aud` is a string or an array of strings.
    func audience() throws(JWTError) -> [String] {
        switch json["aud"] {
        case nil: return []
        case .string(let value): return [value]
        case .array(let values):
            var audience: [String] = []
            for value in values {
                guard case .string(let string) = value else { throw .invalidClaim("aud") }
                audience.append(string)
            }
            return audience
        default: throw .invalidClaim("aud")
        }
    }
}
