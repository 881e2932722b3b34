import JSON

extension HS256JWT {
    /// Verifies `token` at `now` (Unix seconds) and returns its claims.
    ///
    /// In order: size, three strict base64url segments, header (`alg` exactly "HS256"), the HMAC
    /// in constant time over the header and payload exactly as received, and only then the claims
    /// JSON, expiry, `nbf`, issuer and audience.
    public func verify(_ token: String, now: Int) throws(JWTError) -> AccessTokenClaims {
        guard token.utf8.count <= Self.maximumTokenLength else { throw .tooLong }
        var token = token
        return try token.withUTF8 { bytes in Result { () throws(JWTError) in try verify(bytes, now: now) } }.get()
    }

    private func verify(_ token: UnsafeBufferPointer<UInt8>, now: Int) throws(JWTError) -> AccessTokenClaims {
        let segments = try Segments(token)
        try Self.checkHeader(segments.header)

        guard let receivedSignature = Radix64.base64URL.decode(segments.signature) else {
            throw .malformed("signature is not base64url")
        }
        guard constantTimeEquals(mac.authenticate(segments.signingInput), receivedSignature) else {
            throw .badSignature
        }

        let claims = try AccessTokenClaims(json: Self.parseObject(segments.payload, segment: "payload"))
        try checkTimes(claims, now: now)
        if let issuer, claims.issuer != issuer { throw .issuerMismatch }
        if let audience, !claims.audience.contains(audience) { throw .audienceMismatch }
        return claims
    }

    /// The compact serialization split at its two dots (RFC 7515 §7.1).
    private struct Segments {
        let header: UnsafeBufferPointer<UInt8>
        let payload: UnsafeBufferPointer<UInt8>
        let signature: UnsafeBufferPointer<UInt8>
        /// `header.payload` exactly as received: what the signature covers.
        let signingInput: UnsafeBufferPointer<UInt8>

        init(_ token: UnsafeBufferPointer<UInt8>) throws(JWTError) {
            var firstDot: Int?
            var secondDot: Int?
            for index in token.indices where token[index] == UInt8(ascii: ".") {
                guard firstDot != nil else { firstDot = index; continue }
                guard secondDot == nil else { throw .malformed("more than three segments") }
                secondDot = index
            }
            guard let firstDot, let secondDot else { throw .malformed("fewer than three segments") }
            header = UnsafeBufferPointer(rebasing: token[..<firstDot])
            payload = UnsafeBufferPointer(rebasing: token[(firstDot + 1)..<secondDot])
            signature = UnsafeBufferPointer(rebasing: token[(secondDot + 1)...])
            signingInput = UnsafeBufferPointer(rebasing: token[..<secondDot])
        }
    }

    /// RFC 8725 §3.1: accept only the algorithm we use, named exactly; RFC 7515 §4.1.11: we
    /// implement no extensions, so a `crit` header cannot be honoured.
    private static func checkHeader(_ segment: UnsafeBufferPointer<UInt8>) throws(JWTError) {
        if segment.elementsEqual(headerSegment) { return }
        let header = try parseObject(segment, segment: "header")
        guard header["alg"] == .string("HS256") else { throw .unsupportedHeader("alg") }
        if let type = header["typ"], type != .string("JWT") { throw .unsupportedHeader("typ") }
        if header["crit"] != nil { throw .unsupportedHeader("crit") }
    }

    private static func parseObject(_ segment: UnsafeBufferPointer<UInt8>, segment name: String) throws(JWTError) -> [String: JSONValue] {
        guard let json = Radix64.base64URL.decode(segment) else {
            throw .malformed("\(name) is not base64url")
        }
        do {
            return try JSONParser.parseObject(json)
        } catch {
            throw .malformed("\(name) is not a strict JSON object (\(error))")
        }
    }

    /// Written as differences so that no configured leeway can overflow (claims stay below 2^53).
    private func checkTimes(_ claims: AccessTokenClaims, now: Int) throws(JWTError) {
        if now - claims.expiresAt > leeway { throw .expired }
        if let notBefore = claims.notBefore, notBefore - now > leeway { throw .notYetValid }
    }
}
