import AuthCrypto
import Testing

/// The JOSE specifications' own examples. Ed25519 and RSASSA-PKCS1-v1_5 are deterministic, so
/// their signatures must come out byte for byte; ECDSA draws a fresh nonce, so its example is
/// verified. The examples' headers carry no `kid`, so they are checked at the signature level
/// over the exact signing input.
struct SignatureKnownAnswerTests {
    // MARK: RFC 8037 Appendix A (Ed25519)

    /// RFC 8037 A.1's private key (d = nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A) as PKCS#8:
    /// RFC 8410's fixed Ed25519 prefix 302e020100300506032b657004220420, then d.
    static let rfc8037PKCS8 = """
        -----BEGIN PRIVATE KEY-----
        MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g
        -----END PRIVATE KEY-----
        """
    static let rfc8037PublicJWK = #"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#
    static let rfc8037SigningInput = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"
    static let rfc8037Signature = "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"

    /// RFC 8037 A.4: signing the example reproduces its signature.
    @Test func rfc8037A4Ed25519SignatureMatches() throws {
        let key = try PrivateSigningKey(pem: Self.rfc8037PKCS8)
        #expect(key.algorithm == .edDSA)
        #expect(Base64URL.encode(key.sign(Array(Self.rfc8037SigningInput.utf8))) == Self.rfc8037Signature)
    }

    /// RFC 8037 A.5: the example verifies under A.2's public JWK, and not once altered.
    @Test func rfc8037A5Ed25519SignatureVerifies() throws {
        let key = try PublicSigningKey(jwkJSON: Array(Self.rfc8037PublicJWK.utf8))
        let signature = try #require(Base64URL.decode(Self.rfc8037Signature))
        #expect(key.isValidSignature(signature, for: Array(Self.rfc8037SigningInput.utf8)))
        #expect(!key.isValidSignature(signature, for: Array((Self.rfc8037SigningInput + "x").utf8)))
    }

    /// RFC 8037 A.3: the thumbprint of A.2's public key; the private key's public half agrees.
    @Test func rfc8037A3Ed25519Thumbprint() throws {
        let key = try PublicSigningKey(jwkJSON: Array(Self.rfc8037PublicJWK.utf8))
        #expect(key.thumbprint == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k")
        #expect(try PrivateSigningKey(pem: Self.rfc8037PKCS8).publicKey.keyID == key.thumbprint)
    }

    // MARK: RFC 7515 Appendix A.2 (RS256) and A.3 (ES256)

    static let rfc7515Payload = "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"

    /// RFC 7515 A.2.1's RSA key (the JWK with n, e, d, p, q, dp, dq, qi), converted to PKCS#8
    /// with pyca/cryptography's RSAPrivateNumbers.
    static let rfc7515RSAPKCS8 = """
        -----BEGIN PRIVATE KEY-----
        MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCh+BYK4uPJtGXO
        jS1lYmM2K5J9vinh8CR3/BYlzJChNuOL2TSXxbbqY913EeZ8dCn5VrD7io8ImtxL
        aYk8wTM/U+3QGbh3hCUv7JFP5IV3aVlL6kKA0ywPVb9ilE8TA5a8bpvfbr3SvaNn
        juygxmj3AbONv/s4yDQs4v5tJ/reSlpIdJed1LnPmt7Ex1sFhSwsD174pcF1A5L5
        ROjtZMEQxrZHYJqkeDrrnGya11UxMFBji4NmXG9veoKjlnAqH2QbgtPr8jkiGUkf
        toaHLFcW9Qr4NY2ai50Xw0Byj3+H2JoY2PyrZ62EWQwuz3WTOTY8BwNNb2BvniHg
        VFbK5emhAgMBAAECggEAEq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyW
        PEAeP88vLNO97IjlA7/GQ5sLKMgvfTeXZx9SE+7YwVol2NXOoAJe46sui395IW/G
        O+pWJ1O0BkTGoVEn2bKVRUCgu+GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzj
        kn439X0M/V51gfpRLI9JYanrC4D4qAdGcopV/0ZHHzQlBjudU2QvXt4ehNYTCBr6
        XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl/x/jTj3ccPDVZFD9pIuhLhBOneufuBiB
        4cS98l2SR/RQyGWSeWjnczT0QU91p1DhOVRuOopznQKBgQDgHMQQ60imZV1URk0K
        pLttoLhyt3SmqdEf/kgHePDdtzEafpAu+cS191R2JiuoF2yzWXnwFDcqGigp5BNr
        0AHQfD8/Lk8l1Mk09jxxCfui5nYooNyac8YFjm3vItzVCVDnEd3BbVWG8qf6deqE
        lMGAg+C2V0L4oNXnP7LZcPAZRwKBgQC5A8R+CZW2MvRTLLHzwZkUXV866cff7tx6
        kqa0finGG0KgeqlaZPxgCZnFp7AeAcCMtiynVlJ7vMVgePsLq6XtON4tB5kP9jAP
        rq3rbAOal78eUH5OcED6eNuCV8ixEu1eWcPNCS/l1OW1EnXUEoEHKl54Xrrz2uNw
        kgMTP1FZ1wKBgAcCn1dwJKufzBWQxWQp1vsM5fggqPN1qGb5y0MAk3g7/Ls5bkUp
        5u9SN0Ai3Ya6hNnvWJMb7sXQX6U/zyO2M/hTip7tUeh7CXgwo59dkpN75gJLVds2
        9+DAncu3KXU4f2Fa+7bLNrur53k8KwPOq2bbuTG69QtV7Jr5MR0AHWKNAoGBAIf/
        evpitUf+4JYbLpvNXWcY052Mpz22aR84mY3nh3F2LF2mjMJDpTg7FmuyPcVw6EcG
        yoAe9fa65iNqCq+jdw6PVNGo2hxfjSiZ8IIzHdsPXI89//pMjZcQK9r+CCoRjaZj
        OYiIDktVWZzmevJuv6WywUqd57LE3Zar3dLSIkx1AoGAIYd7DHOhrWvxkwPQsRM2
        tOgrjbcrfvtQJipd+DlcxyVuuM9sQLdgjVk2oy26F0EmpScGLq2MowX7fhd/QJQ3
        ydy5cY7YIBi87w93IKLEdfnbJtoOPLUW0ITrJReOgo1cq9SbsxYawBgfp/gh6A56
        03k2+ZQwVK0JKSHuLFkuQ3U=
        -----END PRIVATE KEY-----
        """
    static let rfc7515RSAModulus = "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ"
    static let rfc7515RS256Signature = "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw"

    /// RFC 7515 A.2.1: PKCS#1 v1.5 is deterministic, so signing the example reproduces it.
    @Test func rfc7515A2RS256SignatureMatches() throws {
        let key = try PrivateSigningKey(pem: Self.rfc7515RSAPKCS8)
        #expect(key.algorithm == .rs256)
        let signingInput = Array(("eyJhbGciOiJSUzI1NiJ9." + Self.rfc7515Payload).utf8)
        #expect(Base64URL.encode(key.sign(signingInput)) == Self.rfc7515RS256Signature)
    }

    /// RFC 7515 A.2.2: the example verifies under the public JWK (n, e) alone.
    @Test func rfc7515A2RS256SignatureVerifies() throws {
        let key = try PublicSigningKey(jwkJSON: Array(#"{"kty":"RSA","n":"\#(Self.rfc7515RSAModulus)","e":"AQAB"}"#.utf8))
        let signature = try #require(Base64URL.decode(Self.rfc7515RS256Signature))
        #expect(key.isValidSignature(signature, for: Array(("eyJhbGciOiJSUzI1NiJ9." + Self.rfc7515Payload).utf8)))
        #expect(!key.isValidSignature(signature, for: Array(("eyJhbGciOiJSUzI1NiJ9." + Self.rfc7515Payload + "x").utf8)))
        #expect(try PrivateSigningKey(pem: Self.rfc7515RSAPKCS8).publicKey.thumbprint == key.thumbprint)
    }

    /// RFC 7515 A.3.2: the ES256 example, r || s as received, verifies under A.3.1's key.
    @Test func rfc7515A3ES256SignatureVerifies() throws {
        let key = try PublicSigningKey(jwkJSON: Array(#"""
            {"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}
            """#.utf8))
        let signature = try #require(Base64URL.decode("DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"))
        #expect(signature.count == 64)
        let signingInput = Array(("eyJhbGciOiJFUzI1NiJ9." + Self.rfc7515Payload).utf8)
        #expect(key.isValidSignature(signature, for: signingInput))
        var flipped = signature
        flipped[63] ^= 0x01
        #expect(!key.isValidSignature(flipped, for: signingInput))
    }

    // MARK: RFC 7638 §3.1

    /// The thumbprint of §3.1's RSA key; its `kid`, `alg` and `use` members do not enter it (§3.2).
    @Test func rfc7638ThumbprintOfTheExampleKey() throws {
        let n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
        let key = try PublicSigningKey(jwkJSON: Array(#"{"kty":"RSA","n":"\#(n)","e":"AQAB","alg":"RS256","kid":"2011-04-29"}"#.utf8))
        #expect(key.thumbprint == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
        #expect(key.keyID == "2011-04-29")
    }
}
