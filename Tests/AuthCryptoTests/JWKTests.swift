import AuthCrypto
import JSON
import Testing

/// Public keys as JWKs (RFC 7517, RFC 7518 §6, RFC 8037 §2) and JWK Sets: what we publish, and
/// what we accept from others.
struct JWKTests {
    private func jwk(_ json: String) throws(SigningKeyError) -> PublicSigningKey {
        try PublicSigningKey(jwkJSON: Array(json.utf8))
    }

    private func members(_ key: PublicSigningKey) throws -> [String: JSONValue] {
        try JSONParser.parseObject(key.jwkJSON())
    }

    /// Ed25519's x, P-256's x and y, RSA's n and e, then kid, alg and use; nothing private.
    @Test func exportedJWKsCarryTheContractsMembersOnly() throws {
        let expected: [SignatureAlgorithm: Set<String>] = [
            .edDSA: ["kty", "crv", "x", "kid", "alg", "use"],
            .es256: ["kty", "crv", "x", "y", "kid", "alg", "use"],
            .rs256: ["kty", "n", "e", "kid", "alg", "use"],
        ]
        for algorithm in SignatureAlgorithm.allCases {
            let key = SigningKeyTestSupport.key(algorithm).publicKey
            let jwk = try members(key)
            #expect(Set(jwk.keys) == expected[algorithm])
            #expect(jwk["kid"] == .string(key.thumbprint))
            #expect(jwk["alg"] == .string(algorithm.rawValue))
            #expect(jwk["use"] == .string("sig"))
        }
        #expect(try members(SigningKeyTestSupport.key(.edDSA).publicKey)["crv"] == .string("Ed25519"))
        #expect(try members(SigningKeyTestSupport.key(.es256).publicKey)["crv"] == .string("P-256"))
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func anExportedJWKReadsBackAsTheSameKey(algorithm: SignatureAlgorithm) throws {
        let key = SigningKeyTestSupport.key(algorithm)
        let reread = try PublicSigningKey(jwkJSON: key.publicKey.jwkJSON())
        #expect(reread.algorithm == algorithm)
        #expect(reread.keyID == key.publicKey.keyID)
        #expect(reread.thumbprint == key.publicKey.thumbprint)
        #expect(reread.pemSPKI() == key.publicKey.pemSPKI())
        let message = Array("a.b".utf8)
        #expect(reread.isValidSignature(key.sign(message), for: message))
    }

    /// RFC 7638 §3.2: the thumbprint covers the required members only; kid, alg and use do not change it.
    @Test func theThumbprintIgnoresOptionalMembers() throws {
        let plain = try jwk(#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#)
        let decorated = try jwk(#"{"use":"sig","alg":"EdDSA","kid":"k-1","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","crv":"Ed25519","kty":"OKP"}"#)
        #expect(plain.thumbprint == decorated.thumbprint)
        #expect(plain.keyID == plain.thumbprint)
        #expect(decorated.keyID == "k-1")
    }

    // MARK: What we refuse to read

    @Test(arguments: ["d", "p", "q", "dp", "dq", "qi", "k"])
    func aJWKWithAPrivateMemberIsRefused(member: String) {
        #expect(throws: SigningKeyError.invalidJWK("carries the private member \"\(member)\"")) {
            try jwk(#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","\#(member)":"AA"}"#)
        }
    }

    /// RFC 7518 §6.2.1.2: each coordinate is exactly 32 bytes for P-256, leading zeros included.
    @Test func p256CoordinatesMustBeFullSize() throws {
        // Wycheproof's ecdsa_secp256r1_sha256_p1363_test.json tcId 244 key: x starts with three zero bytes.
        let x = "AAAAA_oV-WOUnV8DpvXH-G-eABXusjrrv_EXOTe6dI4"
        let y = "EJmHIHDo6HxVX6E2Wcyl1_rc_LACPqiJVIykivK6fnE"
        #expect(try jwk(#"{"kty":"EC","crv":"P-256","x":"\#(x)","y":"\#(y)"}"#).algorithm == .es256)
        let stripped = Base64URL.encode(try #require(Base64URL.decode(x)).drop { $0 == 0 })
        #expect(throws: SigningKeyError.invalidJWK("x is 29 bytes, not 32")) {
            try jwk(#"{"kty":"EC","crv":"P-256","x":"\#(stripped)","y":"\#(y)"}"#)
        }
    }

    @Test func aPointOffTheCurveIsRefused() {
        #expect(throws: SigningKeyError.self) {
            try jwk(#"{"kty":"EC","crv":"P-256","x":"AAAAA_oV-WOUnV8DpvXH-G-eABXusjrrv_EXOTe6dI4","y":"EJmHIHDo6HxVX6E2Wcyl1_rc_LACPqiJVIykivK6fnA"}"#)
        }
    }

    /// RFC 7518 §6.3.1.1: n uses the minimum number of octets.
    @Test func rsaIntegersMustHaveNoLeadingZero() throws {
        let n = SignatureKnownAnswerTests.rfc7515RSAModulus
        let padded = Base64URL.encode([0] + (try #require(Base64URL.decode(n))))
        #expect(try jwk(#"{"kty":"RSA","n":"\#(n)","e":"AQAB"}"#).algorithm == .rs256)
        #expect(throws: SigningKeyError.invalidJWK("n is empty or has a leading zero byte")) { try jwk(#"{"kty":"RSA","n":"\#(padded)","e":"AQAB"}"#) }
        #expect(throws: SigningKeyError.invalidJWK("e is empty or has a leading zero byte")) { try jwk(#"{"kty":"RSA","n":"\#(n)","e":"AAEAAQ"}"#) }
        #expect(throws: SigningKeyError.invalidJWK("e is empty or has a leading zero byte")) { try jwk(#"{"kty":"RSA","n":"\#(n)","e":""}"#) }
    }

    @Test func aJWKOfAn1024BitRSAKeyIsRefused() throws {
        let small = try JSONParser.parseObject(SigningKeyTestSupport.rsa1024JWK)
        #expect(throws: SigningKeyError.rsaKeyTooSmall(bits: 1024)) { try PublicSigningKey(jwk: small) }
    }

    @Test func valuesMustBeStrictBase64URL() {
        for x in ["11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo=", "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURp"] {
            #expect(throws: SigningKeyError.invalidJWK("x is not base64url"), "\(x)") { try jwk(#"{"kty":"OKP","crv":"Ed25519","x":"\#(x)"}"#) }
        }
    }

    @Test(arguments: [
        (#"{"kty":"oct","k":"c2VjcmV0"}"#, SigningKeyError.invalidJWK("carries the private member \"k\"")),
        (#"{"kty":"oct"}"#, SigningKeyError.unsupportedKey("kty \"oct\"")),
        (#"{"crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#, SigningKeyError.invalidJWK("kty is missing or not a string")),
        (#"{"kty":"OKP","crv":"X25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#, SigningKeyError.unsupportedKey("crv \"X25519\"")),
        (#"{"kty":"EC","crv":"P-384","x":"AA","y":"AA"}"#, SigningKeyError.unsupportedKey("crv \"P-384\"")),
        (#"{"kty":"OKP","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#, SigningKeyError.invalidJWK("crv is missing or not a string")),
        (#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","alg":"ES256"}"#, SigningKeyError.unsupportedKey("alg \"ES256\" for a EdDSA key")),
        (#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","use":"enc"}"#, SigningKeyError.unsupportedKey("use other than \"sig\"")),
        (#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","key_ops":["sign"]}"#, SigningKeyError.unsupportedKey("key_ops without \"verify\"")),
        (#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","kid":7}"#, SigningKeyError.invalidJWK("kid is not a string")),
        (#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#, SigningKeyError.invalidJWK("not a strict JSON object (duplicateKey)")),
    ])
    func malformedOrForeignJWKsAreRefused(json: String, error: SigningKeyError) {
        #expect(throws: error) { try jwk(json) }
    }

    @Test func keyOperationsIncludingVerifyAreAccepted() throws {
        #expect(try jwk(#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","key_ops":["verify"]}"#).algorithm == .edDSA)
    }

    // MARK: JWK Sets

    @Test func aJWKSetPublishesEachKeyOnce() throws {
        let current = SigningKeyTestSupport.key(.es256).publicKey
        let previous = SigningKeyTestSupport.otherKey(.es256).publicKey
        let set = JWKSet([current, previous, current])
        #expect(set.keyIDs == [current.keyID, previous.keyID])
        let document = try JSONParser.parseObject(set.encodedJSON())
        guard case .array(let keys) = document["keys"] else { Issue.record("no keys array"); return }
        #expect(keys.count == 2)
        #expect(keys.first?.objectValue?["kid"] == .string(current.keyID))
        #expect(String(decoding: JWKSet([]).encodedJSON(), as: UTF8.self) == #"{"keys":[]}"#)
    }

    /// RFC 7517 §5: keys we cannot use are skipped, as a provider's JWKS may list encryption
    /// keys and other algorithms beside its signing keys.
    @Test func aJWKSetKeepsTheKeysItUnderstandsAndSkipsTheRest() throws {
        let ed = String(decoding: SigningKeyTestSupport.key(.edDSA).publicKey.jwkJSON(), as: UTF8.self)
        let rsa = String(decoding: SigningKeyTestSupport.key(.rs256).publicKey.jwkJSON(), as: UTF8.self)
        let document = """
            {"keys":[\(ed),
              {"kty":"EC","crv":"P-384","x":"AA","y":"AA","kid":"p384"},
              {"kty":"RSA","use":"enc","n":"\(SignatureKnownAnswerTests.rfc7515RSAModulus)","e":"AQAB","kid":"enc"},
              {"kty":"oct","k":"c2VjcmV0","kid":"hmac"},
              "not a key", 42,
              \(String(decoding: SigningKeyTestSupport.rsa1024JWK, as: UTF8.self)),
              \(rsa)],
             "other":"members are ignored"}
            """
        let set = try JWKSet(json: Array(document.utf8))
        #expect(set.keyIDs == [SigningKeyTestSupport.key(.edDSA).publicKey.keyID, SigningKeyTestSupport.key(.rs256).publicKey.keyID])
        #expect(set.key(withID: "enc") == nil)
    }

    @Test(arguments: [#"{"keys":{}}"#, #"{"key":[]}"#, #"[]"#, "", #"{"keys":[]} trailing"#])
    func aJWKSetMustBeAnObjectWithAKeysArray(document: String) {
        #expect(throws: SigningKeyError.self) { try JWKSet(json: Array(document.utf8)) }
    }
}
