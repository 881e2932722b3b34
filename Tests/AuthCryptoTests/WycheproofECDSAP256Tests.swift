import AuthCrypto
import Testing

/// A selection of Project Wycheproof's ECDSA P-256 / SHA-256 vectors in IEEE P1363 form (the
/// raw `r || s` that JWS uses), from C2SP/wycheproof, testvectors_v1/ecdsa_secp256r1_sha256_p1363_test.json,
/// each cited by its tcId: range checks on r and s, the special values 0, 1, n, n - 1 and p,
/// signatures of the wrong size, arithmetic edge cases and edge-case public keys. Keys come
/// from each test group's `publicKeyJwk` (group 1 also from its `publicKeyPem`).
struct WycheproofECDSAP256Tests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let tcId: Int
        let x: String
        let y: String
        let message: String
        let signature: String
        let valid: Bool

        var testDescription: String { "tcId \(tcId)" }
    }

    static let group1X = "KSexBRK64-3c_kZ4KBKLrSkDJpkZ9whgacjE32xzKDg"
    static let group1Y = "x3h5ZOqsAOWSH7FJimD0YGdms9loUAFVjRqXTnNBUT4"
    static let group1PEM = """
        -----BEGIN PUBLIC KEY-----
        MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEKSexBRK64+3c/kZ4KBKLrSkDJpkZ
        9whgacjE32xzKDjHeHlk6qwA5ZIfsUmKYPRgZ2az2WhQAVWNGpdOc0FRPg==
        -----END PUBLIC KEY-----
        """

    static let vectors: [Vector] = [
        Vector(tcId: 1, x: group1X, y: group1Y, message: "313233343030",
               signature: "2ba3a8be6b94d5ec80a6d9d1190a436effe50d85a1eee859b8cc6af9bd5c2e184cd60b855d442f5b3c7b11eb6c4e0ae7525fe710fab9aa7c77a67f79e6fadd76", valid: true),
        Vector(tcId: 2, x: group1X, y: group1Y, message: "313233343030",
               signature: "012ba3a8bd6b94d5ed80a6d9d1190a436ebccc0833490686deac8635bcb9bf536900b329f479a2bbd0a5c384ee1493b1f5186a87139cac5df4087c134b49156847db", valid: false),
        Vector(tcId: 4, x: group1X, y: group1Y, message: "313233343030",
               signature: "d45c5740946b2a147f59262ee6f5bc90bd01ed280528b62b3aed5fc93f06f739b329f479a2bbd0a5c384ee1493b1f5186a87139cac5df4087c134b49156847db", valid: false),
        Vector(tcId: 5, x: group1X, y: group1Y, message: "313233343030",
               signature: "012ba3a8be6b94d5ec80a6d9d1190a436effe50d85a1eee859b8cc6af9bd5c2e1800b329f479a2bbd0a5c384ee1493b1f5186a87139cac5df4087c134b49156847db", valid: false),
        Vector(tcId: 11, x: group1X, y: group1Y, message: "313233343030",
               signature: "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", valid: false),
        Vector(tcId: 12, x: group1X, y: group1Y, message: "313233343030",
               signature: "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001", valid: false),
        Vector(tcId: 13, x: group1X, y: group1Y, message: "313233343030",
               signature: "0000000000000000000000000000000000000000000000000000000000000000ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", valid: false),
        Vector(tcId: 18, x: group1X, y: group1Y, message: "313233343030",
               signature: "00000000000000000000000000000000000000000000000000000000000000010000000000000000000000000000000000000000000000000000000000000000", valid: false),
        Vector(tcId: 19, x: group1X, y: group1Y, message: "313233343030",
               signature: "00000000000000000000000000000000000000000000000000000000000000010000000000000000000000000000000000000000000000000000000000000001", valid: false),
        Vector(tcId: 25, x: group1X, y: group1Y, message: "313233343030",
               signature: "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc6325510000000000000000000000000000000000000000000000000000000000000000", valid: false),
        Vector(tcId: 27, x: group1X, y: group1Y, message: "313233343030",
               signature: "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", valid: false),
        Vector(tcId: 35, x: group1X, y: group1Y, message: "313233343030",
               signature: "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632550ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632550", valid: false),
        Vector(tcId: 46, x: group1X, y: group1Y, message: "313233343030",
               signature: "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff0000000000000000000000000000000000000000000000000000000000000000", valid: false),
        Vector(tcId: 51, x: group1X, y: group1Y, message: "313233343030",
               signature: "ffffffff00000001000000000000000000000000ffffffffffffffffffffffffffffffff00000001000000000000000000000000ffffffffffffffffffffffff", valid: false),
        Vector(tcId: 60, x: group1X, y: group1Y, message: "3639383139",
               signature: "64a1aab5000d0e804f3e2fc02bdee9be8ff312334e2ba16d11547c97711c898e6af015971cc30be6d1a206d4e013e0997772a2f91d73286ffd683b9bb2cf4f1b", valid: true),
        Vector(tcId: 61, x: group1X, y: group1Y, message: "343236343739373234",
               signature: "16aea964a2f6506d6f78c81c91fc7e8bded7d397738448de1e19a0ec580bf266252cd762130c6667cfe8b7bc47d27d78391e8e80c578d1cd38c3ff033be928e9", valid: true),
        Vector(tcId: 62, x: group1X, y: group1Y, message: "37313338363834383931",
               signature: "9cc98be2347d469bf476dfc26b9b733df2d26d6ef524af917c665baccb23c882093496459effe2d8d70727b82462f61d0ec1b7847929d10ea631dacb16b56c32", valid: true),
        Vector(tcId: 115, x: "CtmVACiNRmlAAx1yqfVEWk1DeEZAhVvwpph00t5f4QM",
               y: "xQEebvLELc1Q1dPSn5mubrosgMkkT0xUIvCXn_DDul4", message: "313233343030",
               signature: "000000000000000000000000000000004319055358e8617b0c46353d039cdaabffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc63254e", valid: true),
        Vector(tcId: 116, x: "CtmVACiNRmlAAx1yqfVEWk1DeEZAhVvwpph00t5f4QM",
               y: "xQEebvLELc1Q1dPSn5mubrosgMkkT0xUIvCXn_DDul4", message: "313233343030",
               signature: "ffffffff00000001000000000000000000000000fffffffffffffffffffffffcffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc63254e", valid: false),
        Vector(tcId: 120, x: "pxr2TeUSakpOAreSLWbOlBXOiKTJ0lUU2RCCyHJayVc",
               y: "XUdyPI--WAuzaf7JwmZdjjCkNbmTJkVILnyfEehyKWs", message: "313233343030",
               signature: "00000000000000000000000000000000000000000000000000000000000000050000000000000000000000000000000000000000000000000000000000000001", valid: true),
        Vector(tcId: 121, x: "pxr2TeUSakpOAreSLWbOlBXOiKTJ0lUU2RCCyHJayVc",
               y: "XUdyPI--WAuzaf7JwmZdjjCkNbmTJkVILnyfEehyKWs", message: "313233343030",
               signature: "0501", valid: false),
        Vector(tcId: 169, x: "tTPUaV3VuMXgd1flXm5Rb34siPoCOeI_YOjsB91w8oc",
               y: "GxNO5YzFgyeEVoY_M8OoXYgffUo5hQFD4p1OrwCa_kc", message: "313233343030",
               signature: "7fffffff800000007fffffffffffffffde737d56d38bcf4279dce5617e3192a8555555550000000055555555555555553ef7a8e48d07df81a693439654210c70", valid: false),
        Vector(tcId: 170, x: "9Q03G5G_sdfRThMjUjvDqoy_LFf54oTeYoyLRTZ4e4Y",
               y: "-UrYh6yU1SckfNLn0MixKRxVPJcwQFOAsUy7IJ9fot0", message: "313233343030",
               signature: "7fffffff800000007fffffffffffffffde737d56d38bcf4279dce5617e3192a97fffffff800000007fffffffffffffffde737d56d38bcf4279dce5617e3192a8", valid: true),
        Vector(tcId: 172, x: "adoDZHNNLlMP7OlAGSZf77eBoPGwj2yIl732VXknyLg",
               y: "ZtLTx9zVGLI9cmlg8Gmtcakz2G74q7zOiyD3HiqEcAI", message: "313233343030",
               signature: "555555550000000055555555555555553ef7a8e48d07df81a693439654210c70bb5a52f42f9c9261ed4361f59422a1e30036e7c32b270c8807a419feca605023", valid: true),
        Vector(tcId: 174, x: "NiOslzztClb6bYgvA6fVx-3KAs_HskAfqzaQ2-dat4U",
               y: "jbBpCOZLKGE9pyV-c385eT2o5xO6BkO5LpuzJSvn-P4", message: "313233343030",
               signature: "555555550000000055555555555555553ef7a8e48d07df81a693439654210c70555555550000000055555555555555553ef7a8e48d07df81a693439654210c70", valid: true),
        Vector(tcId: 244, x: "AAAAA_oV-WOUnV8DpvXH-G-eABXusjrrv_EXOTe6dI4",
               y: "EJmHIHDo6HxVX6E2Wcyl1_rc_LACPqiJVIykivK6fnE", message: "4d657373616765",
               signature: "b7c81457d4aeb6aa65957098569f0479710ad7f6595d5874c35a93d12a5dd4c7b7961a0b652878c2d568069a432ca18a1a9199f2ca574dad4b9e3a05c0a1cdb3", valid: true),
        Vector(tcId: 247, x: "vLspFMefBF6qbsu8YSgWs75dLWeWcH2BJen4UcGK8BU",
               y: "AAAAABNSu0oPoupMzrmrY91oSt5aESe88wCmmKcZO8I", message: "4d657373616765",
               signature: "31230428405560dcb88fb5a646836aea9b23a23dd973dcbe8014c87b8b20eb070f9344d6e812ce166646747694a41b0aaf97374e19f3c5fb8bd7ae3d9bd0beff", valid: true),
        Vector(tcId: 250, x: "vLspFMefBF6qbsu8YSgWs75dLWeWcH2BJen4UcGK8BU",
               y: "_____uytRLbwXRWzMUZUnCKXtSKl7thDDP9ZZ1jmxD0", message: "4d657373616765",
               signature: "d7d70c581ae9e3f66dc6a480bf037ae23f8a1e4a2136fe4b03aa69f0ca25b35689c460f8a5a5c2bbba962c8a3ee833a413e85658e62a59e2af41d9127cc47224", valid: true),
    ]

    private static func key(x: String, y: String) throws -> PublicSigningKey {
        try PublicSigningKey(jwkJSON: Array(#"{"kty":"EC","crv":"P-256","x":"\#(x)","y":"\#(y)"}"#.utf8))
    }

    @Test(arguments: vectors)
    func vector(_ vector: Vector) throws {
        let key = try Self.key(x: vector.x, y: vector.y)
        #expect(key.algorithm == .es256)
        #expect(key.isValidSignature(hexBytes(vector.signature), for: hexBytes(vector.message)) == vector.valid)
    }

    @Test func group1sPEMAndJWKAreTheSameKey() throws {
        let pem = try PublicSigningKey(pem: Self.group1PEM)
        let jwk = try Self.key(x: Self.group1X, y: Self.group1Y)
        #expect(pem.thumbprint == jwk.thumbprint)
        let valid = Self.vectors[0]
        #expect(pem.isValidSignature(hexBytes(valid.signature), for: hexBytes(valid.message)))
    }

    /// tcId 1's valid signature in X9.62 DER, the form OpenSSL itself produces, is not a JWS signature.
    @Test func theDEREncodingOfAValidSignatureIsRefused() throws {
        let valid = Self.vectors[0]
        let raw = hexBytes(valid.signature)
        let der = [0x30, 0x44, 0x02, 0x20] + raw[..<32] + [0x02, 0x20] + raw[32...]
        let key = try Self.key(x: valid.x, y: valid.y)
        #expect(key.isValidSignature(raw, for: hexBytes(valid.message)))
        #expect(!key.isValidSignature(der, for: hexBytes(valid.message)))
    }
}
