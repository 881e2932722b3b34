import JSON

/// Typed access to a verified token's claims (RFC 7519 §4): a missing required claim or a
/// claim of the wrong JSON type throws `.invalidClaim` naming it; unknown claims are ignored.
///
/// ```swift
/// let claims = JWTClaimReader(json: try verifier.verifiedPayload(token))
/// let expiresAt = try claims.requiredNumericDate("exp")
/// let emailVerified = try claims.optionalBool("email_verified") ?? false
/// ```
public struct JWTClaimReader: Sendable {
    /// NumericDate values must be integers a Double carries exactly (|t| < 2^53).
    private static let numericDateLimit = Double(1 << 53)

    public let json: [String: JSONValue]

    public init(json: [String: JSONValue]) {
        self.json = json
    }

    public func optionalString(_ name: String) throws(JWTError) -> String? {
        switch json[name] {
        case nil: return nil
        case .string(let value): return value
        default: throw .invalidClaim(name)
        }
    }

    public func requiredString(_ name: String) throws(JWTError) -> String {
        guard let value = try optionalString(name) else { throw .invalidClaim(name) }
        return value
    }

    /// A JSON boolean; a string "true" or a number is not one.
    public func optionalBool(_ name: String) throws(JWTError) -> Bool? {
        switch json[name] {
        case nil: return nil
        case .bool(let value): return value
        default: throw .invalidClaim(name)
        }
    }

    /// RFC 7519 §2 NumericDate: a JSON number of seconds, possibly with a fraction (floored).
    public func optionalNumericDate(_ name: String) throws(JWTError) -> Int? {
        switch json[name] {
        case nil: return nil
        case .number(let value) where value.isFinite && abs(value) < Self.numericDateLimit:
            return Int(value.rounded(.down))
        default: throw .invalidClaim(name)
        }
    }

    public func requiredNumericDate(_ name: String) throws(JWTError) -> Int {
        guard let value = try optionalNumericDate(name) else { throw .invalidClaim(name) }
        return value
    }

    /// RFC 7519 §4.1.3: `aud` is a string or an array of strings; empty when absent.
    public func audience() throws(JWTError) -> [String] {
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
