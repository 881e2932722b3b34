import AuthCrypto
import Testing

/// A selection of Project Wycheproof's Ed25519 vectors, from C2SP/wycheproof,
/// testvectors_v1/ed25519_test.json, each cited by its tcId: valid signatures (empty message
/// included), special values of R and S, truncated and padded signatures, non-canonical R, and
/// S + L (malleability, RFC 8032 §5.1.7). Every group in that range uses one key, read both from
/// its `publicKeyJwk` and its `publicKeyPem`.
struct WycheproofEd25519Tests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let tcId: Int
        let message: String
        let signature: String
        let valid: Bool

        var testDescription: String { "tcId \(tcId)" }
    }

    static let jwk = #"{"kty":"OKP","crv":"Ed25519","kid":"none","x":"fU0Of2FTpptiQrUiq77mhf2kQg-INLEIw72uNp71Sfo"}"#
    static let pem = """
        -----BEGIN PUBLIC KEY-----
        MCowBQYDK2VwAyEAfU0Of2FTpptiQrUiq77mhf2kQg+INLEIw72uNp71Sfo=
        -----END PUBLIC KEY-----
        """

    static let vectors: [Vector] = [
        Vector(tcId: 1, message: "",
               signature: "d4fbdb52bfa726b44d1786a8c0d171c3e62ca83c9e5bbe63de0bb2483f8fd6cc1429ab72cafc41ab56af02ff8fcc43b99bfe4c7ae940f60f38ebaa9d311c4007", valid: true),
        Vector(tcId: 2, message: "78",
               signature: "d80737358ede548acb173ef7e0399f83392fe8125b2ce877de7975d8b726ef5b1e76632280ee38afad12125ea44b961bf92f1178c9fa819d020869975bcbe109", valid: true),
        Vector(tcId: 3, message: "54657374",
               signature: "7c38e026f29e14aabd059a0f2db8b0cd783040609a8be684db12f82a27774ab07a9155711ecfaf7f99f277bad0c6ae7e39d4eef676573336a5c51eb6f946b30d", valid: true),
        Vector(tcId: 4, message: "48656c6c6f",
               signature: "1c1ad976cbaae3b31dee07971cf92c928ce2091a85f5899f5e11ecec90fc9f8e93df18c5037ec9b29c07195ad284e63d548cd0a6fe358cc775bd6c1608d2c905", valid: true),
        Vector(tcId: 5, message: "313233343030",
               signature: "657c1492402ab5ce03e2c3a7f0384d051b9cf3570f1207fc78c1bcc98c281c2bf0cf5b3a289976458a1be6277a5055545253b45b07dcc1abd96c8b989c00f301", valid: true),
        Vector(tcId: 6, message: "000000000000000000000000",
               signature: "d46543bfb892f84ec124dcdfc847034c19363bf3fc2fa89b1267833a14856e52e60736918783f950b6f1dd8d40dc343247cd43ce054c2d68ef974f7ed0f3c60f", valid: true),
        Vector(tcId: 9, message: "ffffffffffffffffffffffffffffffff",
               signature: "5dbd7360e55aa38e855d6ad48c34bd35b7871628508906861a7c4776765ed7d1e13d910faabd689ec8618b78295c8ab8f0e19c8b4b43eb8685778499e943ae04", valid: true),
        Vector(tcId: 10, message: "3f",
               signature: "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", valid: false),
        Vector(tcId: 11, message: "3f",
               signature: "00000000000000000000000000000000000000000000000000000000000000000100000000000000000000000000000000000000000000000000000000000000", valid: false),
        Vector(tcId: 12, message: "3f",
               signature: "0000000000000000000000000000000000000000000000000000000000000000ecd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010", valid: false),
        Vector(tcId: 13, message: "3f",
               signature: "0000000000000000000000000000000000000000000000000000000000000000edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010", valid: false),
        Vector(tcId: 14, message: "3f",
               signature: "0000000000000000000000000000000000000000000000000000000000000000edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", valid: false),
        Vector(tcId: 15, message: "3f",
               signature: "01000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", valid: false),
        Vector(tcId: 20, message: "3f",
               signature: "edd3f55c1a631258d69cf7a2def9de14000000000000000000000000000000100000000000000000000000000000000000000000000000000000000000000000", valid: false),
        Vector(tcId: 29, message: "3f",
               signature: "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7fedffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", valid: false),
        Vector(tcId: 30, message: "54657374",
               signature: "", valid: false),
        Vector(tcId: 31, message: "54657374",
               signature: "7c38e026f29e14aabd059a0f2db8b0cd783040609a8be684db12f82a27774ab0", valid: false),
        Vector(tcId: 32, message: "54657374",
               signature: "7c38e026f29e14aabd059a0f2db8b0cd783040609a8be684db12f82a27774ab07a9155711ecfaf7f99f277bad0c6ae7e39d4eef676573336a5c51eb6f946", valid: false),
        Vector(tcId: 33, message: "54657374",
               signature: "7c38e026f29e14aabd059a0f2db8b0cd783040609a8be684db12f82a27774ab07a9155711ecfaf7f99f277bad0c6ae7e39d4eef676573336a5c51eb6f946b30d2020", valid: false),
        Vector(tcId: 35, message: "54657374",
               signature: "007c38e026f29e14aabd059a0f2db8b0cd783040609a8be684db12f82a27774ab07a9155711ecfaf7f99f277bad0c6ae7e39d4eef676573336a5c51eb6f946b30d", valid: false),
        Vector(tcId: 37, message: "54657374",
               signature: "7c38e026f29e14aabd059a0f2db8b0cd783040609a8be684db12f82a27774ab07a9155711ecfaf7f99f277bad0c6ae7e39d4eef676573336a5c51eb6f946b30d00", valid: false),
        Vector(tcId: 42, message: "313233343030",
               signature: "647c1492402ab5ce03e2c3a7f0384d051b9cf3570f1207fc78c1bcc98c281c2b1d125e5538f38afbcc1c84e489521083041d24bc6240767029da063271a1ff0c", valid: false),
        Vector(tcId: 59, message: "313233343030",
               signature: "657c1492402ab5ce03e2c3a7f0384d051b9cf3570f1207fc78c1bcc98c281cab227aedf259f910f0f3a759a335062665217925d019173b88917eae294f75d40f", valid: false),
        Vector(tcId: 60, message: "313233343030",
               signature: "0000000000000000000000000000000000000000000000000000000000000000e0b8e7770d51c7a36375d006c5bffd6af43ff54aaf47e4330dc118c71d61ec02", valid: false),
        Vector(tcId: 61, message: "313233343030",
               signature: "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff463a1908382e7eb7693acef9884f7cf931a215e0791876be22c631a59881fd0e", valid: false),
        Vector(tcId: 63, message: "54657374",
               signature: "7c38e026f29e14aabd059a0f2db8b0cd783040609a8be684db12f82a27774ab067654bce3832c2d76f8f6f5dafc08d9339d4eef676573336a5c51eb6f946b31d", valid: false),
    ]

    @Test(arguments: vectors)
    func vector(_ vector: Vector) throws {
        for key in [try PublicSigningKey(jwkJSON: Array(Self.jwk.utf8)), try PublicSigningKey(pem: Self.pem)] {
            #expect(key.algorithm == .edDSA)
            #expect(key.isValidSignature(hexBytes(vector.signature), for: hexBytes(vector.message)) == vector.valid)
        }
    }

    @Test func theJWKKeepsItsKidAndTheThumbprintIsStillComputed() throws {
        let fromJWK = try PublicSigningKey(jwkJSON: Array(Self.jwk.utf8))
        let fromPEM = try PublicSigningKey(pem: Self.pem)
        #expect(fromJWK.keyID == "none")
        #expect(fromPEM.keyID == fromPEM.thumbprint)
        #expect(fromJWK.thumbprint == fromPEM.thumbprint)
    }
}
