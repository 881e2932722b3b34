import AuthCrypto
import Foundation
import Testing
@testable import AuthApp

/// The ID token checks of OpenID Connect Core §3.1.3.7, on tokens signed here (the interop
/// tests run the same refusals against a real provider).
@Suite("ID token verification")
struct IDTokenTests {
    static let issuer = "https://accounts.example.com"
    static let clientID = "our-client"
    static let nonce = "n-0S6_WzA2Mj"
    static let now = 1_800_000_000
    static let key = PrivateSigningKey.generate(.rs256)

    static func claims(_ changes: [String: Any?] = [:]) -> [String: Any] {
        var claims: [String: Any] = ["iss": issuer, "aud": clientID, "sub": "248289761001", "exp": now + 300, "iat": now - 10,
                                     "nonce": nonce, "email": "ada@example.com", "email_verified": true]
        for (name, value) in changes { claims[name] = value }
        return claims
    }

    static func sign(_ claims: [String: Any], key: PrivateSigningKey = key, header: [String: Any]? = nil) throws -> String {
        let header = header ?? ["alg": key.algorithm.rawValue, "kid": key.publicKey.keyID, "typ": "JWT"]
        let input = Base64URL.encode(try JSONSerialization.data(withJSONObject: header, options: .sortedKeys)) + "."
            + Base64URL.encode(try JSONSerialization.data(withJSONObject: claims, options: .sortedKeys))
        return input + "." + Base64URL.encode(key.sign(Array(input.utf8)))
    }

    static func verify(_ token: String, keys: [PublicSigningKey] = [key.publicKey]) throws(JWTError) -> IDToken {
        try IDToken(verifying: token, keys: JWKSet(keys), issuer: issuer, clientID: clientID, nonce: nonce, now: now, leeway: 30)
    }

    @Test func aGoodTokenVerifies() throws {
        let token = try Self.verify(Self.sign(Self.claims(["name": "Ada Lovelace", "given_name": "Ada"])))
        #expect(token.subject == "248289761001" && token.email == "ada@example.com" && token.emailVerified)
        #expect(token.name == "Ada Lovelace" && token.givenName == "Ada" && token.familyName == nil)
    }

    @Test func es256VerifiesToo() throws {
        let key = PrivateSigningKey.generate(.es256)
        #expect(try Self.verify(Self.sign(Self.claims(), key: key), keys: [key.publicKey]).subject == "248289761001")
    }

    @Test func aClaimOutOfLineIsRefused() throws {
        let cases: [([String: Any?], JWTError)] = [
            (["iss": "https://evil.example.com"], .issuerMismatch),
            (["aud": "someone-else"], .audienceMismatch),
            (["aud": [Self.clientID, "other"]], .invalidClaim("azp")),
            (["aud": [Self.clientID, "other"], "azp": "other"], .invalidClaim("azp")),
            (["exp": Self.now - 60], .expired),
            (["exp": nil], .invalidClaim("exp")),
            (["iat": Self.now + 3600], .invalidClaim("iat")),
            (["iat": nil], .invalidClaim("iat")),
            (["nonce": "another"], .invalidClaim("nonce")),
            (["nonce": nil], .invalidClaim("nonce")),
            (["sub": ""], .invalidClaim("sub")),
            (["sub": String(repeating: "s", count: 256)], .invalidClaim("sub")),
        ]
        for (changes, expected) in cases {
            let token = try Self.sign(Self.claims(changes))
            #expect(throws: expected, "\(changes)") { try Self.verify(token) }
        }
    }

    @Test func severalAudiencesWithOurAzpVerify() throws {
        #expect(try Self.verify(Self.sign(Self.claims(["aud": [Self.clientID, "other"], "azp": Self.clientID]))).emailVerified)
    }

    @Test func clockSkewWithinTheLeewayIsTolerated() throws {
        #expect(try Self.verify(Self.sign(Self.claims(["exp": Self.now - 20, "iat": Self.now + 20]))).subject == "248289761001")
    }

    @Test func onlyAJSONTrueVerifiesTheEmail() throws {
        for value in ["true", 1, nil] as [Any?] {
            #expect(try !Self.verify(Self.sign(Self.claims(["email_verified": value]))).emailVerified)
        }
    }

    @Test func anotherKeyOrAnUnknownKidIsRefused() throws {
        let stranger = PrivateSigningKey.generate(.rs256)
        #expect(throws: JWTError.unknownKeyID) { try Self.verify(try Self.sign(Self.claims(), key: stranger)) }
        let forged = try Self.sign(Self.claims(), key: stranger, header: ["alg": "RS256", "kid": Self.key.publicKey.keyID])
        #expect(throws: JWTError.badSignature) { try Self.verify(forged) }
    }

    @Test func unsignedAndHS256TokensAreRefused() throws {
        let payload = Base64URL.encode(try JSONSerialization.data(withJSONObject: Self.claims()))
        let none = Base64URL.encode(Array(#"{"alg":"none","kid":"\#(Self.key.publicKey.keyID)"}"#.utf8)) + "." + payload + "."
        #expect(throws: JWTError.self) { try Self.verify(none) }
        let header = Base64URL.encode(Array(#"{"alg":"HS256","kid":"\#(Self.key.publicKey.keyID)","typ":"JWT"}"#.utf8))
        let mac = HMACSHA256(key: Array(Self.key.publicKey.keyID.utf8)).authenticate(Array("\(header).\(payload)".utf8))
        #expect(throws: JWTError.unsupportedHeader("alg")) { try Self.verify("\(header).\(payload).\(Base64URL.encode(mac))") }
    }
}
