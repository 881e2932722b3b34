import AuthCrypto

/// Keys the signing tests share. Generated once per run (an RSA key takes a while); the
/// fixed PEM keys below were made with `openssl genpkey` for these tests and sign nothing else.
enum SigningKeyTestSupport {
    static let generated: [SignatureAlgorithm: PrivateSigningKey] = Dictionary(
        uniqueKeysWithValues: SignatureAlgorithm.allCases.map { ($0, PrivateSigningKey.generate($0)) }
    )

    static func key(_ algorithm: SignatureAlgorithm) -> PrivateSigningKey {
        generated[algorithm]!
    }

    /// A second key per algorithm, for "signed by someone else" and rotation.
    static let others: [SignatureAlgorithm: PrivateSigningKey] = Dictionary(
        uniqueKeysWithValues: SignatureAlgorithm.allCases.map { ($0, PrivateSigningKey.generate($0)) }
    )

    static func otherKey(_ algorithm: SignatureAlgorithm) -> PrivateSigningKey {
        others[algorithm]!
    }

    /// RSA at 1024 bits, under RFC 7518 §3.3's minimum.
    static let rsa1024PKCS8 = """
        -----BEGIN PRIVATE KEY-----
        MIICeAIBADANBgkqhkiG9w0BAQEFAASCAmIwggJeAgEAAoGBAKxPpBse0oktEK4S
        j0ZD5wQrjHxhATr5I8Su0L+rs+KJKCtc0wToVZcOet9VCeajIXSq4KdqECti6qXg
        S4Z9Mrs8K3P6j/dWvBYZ36oTGE3jM+cTF5Ufv5W918dVN7oOJ1XvfQmsWIjxSglg
        gTyirB9H6LcWV2+VaH7sI3lYLy/fAgMBAAECgYEAhFLEm28YDu/kl0j5beRHTBSF
        Vh7IaxlYNnppJEgfZCAgEOy/wE0LLW2ZPlh3uf4cexOeYfI5aJgVyjxsw2LxyUSv
        GvuBfOM9b+N3/V6rv+pB73ifLG4OyeZrxo8WXvwxXyna2vSSw4GAaNgCGuHkeLCK
        qnZvEDSWQrVK5HTxqYECQQDZVrUHKCsckG3XaTRXQ0S9h0T+s2Mvs6vjRHS6YA3r
        VOF5li6Yy/A61hs51/SB88u+6+Js5etl/kC2VaA26vk3AkEAyvZxAqSCghA21+3O
        8JCOd74pvL7VYAR3hUEEF+hoNM59mZ65JCnf8c3ZmVG8fVc4NF6kO0eRmGkwRmtH
        20iymQJADZSEZTkWUIeZxW72bUlvvyP3pK6S0QU6BU5euNKNrBm2qQFAUh3UGekM
        9HVQ+tm/7mMQ19sZ9VqIspvxEd1mywJBAMJzASqK+g4qAqE1UQHhPN0z70DJhBwN
        q4SbGZTeMJgHDQZUrwQaqlc75LGjQXbETTC/S5EPrEnc3UdaGOnZ6GECQQCdBEUt
        7QfsvByvYrBG/jegyiTonHllo3K77N+wK/mFqWHlLqkmRAEyd1ISBvxoMVnmlTso
        4sYCP/hVLBKlZTrF
        -----END PRIVATE KEY-----
        """

    /// The public half of `rsa1024PKCS8`.
    static let rsa1024SPKI = """
        -----BEGIN PUBLIC KEY-----
        MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCsT6QbHtKJLRCuEo9GQ+cEK4x8
        YQE6+SPErtC/q7PiiSgrXNME6FWXDnrfVQnmoyF0quCnahArYuql4EuGfTK7PCtz
        +o/3VrwWGd+qExhN4zPnExeVH7+VvdfHVTe6DidV730JrFiI8UoJYIE8oqwfR+i3
        FldvlWh+7CN5WC8v3wIDAQAB
        -----END PUBLIC KEY-----
        """

    /// The public half of `rsa1024PKCS8` as a JWK.
    static let rsa1024JWK = Array(#"""
        {"kty":"RSA","kid":"small","n":"rE-kGx7SiS0QrhKPRkPnBCuMfGEBOvkjxK7Qv6uz4okoK1zTBOhVlw5631UJ5qMhdKrgp2oQK2LqpeBLhn0yuzwrc_qP91a8FhnfqhMYTeMz5xMXlR-_lb3Xx1U3ug4nVe99CaxYiPFKCWCBPKKsH0fotxZXb5VofuwjeVgvL98","e":"AQAB"}
        """#.utf8)

    /// A P-384 key: ES384 is not an algorithm we sign with.
    static let p384PKCS8 = """
        -----BEGIN PRIVATE KEY-----
        MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDBFuFkt1aicvkozFOvT
        eCci+7k0bwI9Zh48q2Cp5mcgPJOAapXnhU7Bu0I5wgyRv8+hZANiAATxD67IiqP2
        QVF8jMPplx37zY+5hnmQTwoWDA+kkAac+QdjufLYiWvAQ1oxzaH9WJD3swIFXwOs
        wGc/s2QY85hRYjmcAmYzxUlAaJL8wdzqeaXL93VKxfpnQuT1IiRaIrQ=
        -----END PRIVATE KEY-----
        """

    /// A P-256 key in SEC 1 form (`EC PRIVATE KEY`), not PKCS#8.
    static let p256SEC1 = """
        -----BEGIN EC PRIVATE KEY-----
        MHcCAQEEIHJr8lccbY9HWPDqOZ5HkXFJTDtDfO1duZin0jGzu5r6oAoGCCqGSM49
        AwEHoUQDQgAEek0VomFndq2NgSHOQLcPpgTQ+HBnC0BAYANh5jNMwaWuK3Le8Cex
        qNpC2yxbBzyxLlznsYGFEqaxi2ATytxisg==
        -----END EC PRIVATE KEY-----
        """

    /// An Ed25519 key in encrypted PKCS#8 (passphrase "secret"), which the server never prompts for.
    static let encryptedPKCS8 = """
        -----BEGIN ENCRYPTED PRIVATE KEY-----
        MIGbMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAhvAoIrd4fbLQICCAAw
        DAYIKoZIhvcNAgkFADAdBglghkgBZQMEAQIEEIbBrKMCAuXoXDBwdyr++RYEQMEf
        X6JwSxfyTG2SkJ3kw4nFgv74tO/a5yjPP9wwikIglBYk6jPq/AN+Xq4XekL78kGP
        hfsdQZp/ju2gDFtGhZg=
        -----END ENCRYPTED PRIVATE KEY-----
        """
}
