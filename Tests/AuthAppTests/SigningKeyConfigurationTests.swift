import AuthCrypto
import Foundation
import Testing
@testable import AuthApp

/// `JWT_ALGORITHM`, `JWT_PRIVATE_KEY_FILE` and `JWT_VERIFY_KEY_FILES` at start (API.md, Signing
/// keys and JWKS): every key read and checked, every mistake a problem that names its file.
@Suite("Signing keys in the configuration, in process")
struct SigningKeyConfigurationTests {
    /// A 1024-bit RSA key (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024), too small for RS256.
    private static let rsa1024PEM = """
        -----BEGIN PRIVATE KEY-----
        MIICdwIBADANBgkqhkiG9w0BAQEFAASCAmEwggJdAgEAAoGBAK09IDX1S8GF+ydC
        4LiR9lq/S2M8FaypFv/8VEedjjFpNKmQYHicexFgmz7gADcYulmKbKXlgxFLvet0
        v1cSZy5A4jPe6wLG8QptzCnUVHZ8ArACn/N3m50b5BMlZKDrnjeksIhbi7CQC/KY
        zduQPX5z9xQOBhi/BHT/d3V1852JAgMBAAECgYAQsLTrvehAitH5pF3WKmnbsFZp
        Bx7ndZr7qqnMBIfwhrxGIdzJgfnxYKdUVWxv4ngBrG5vRT9taSixCJxunR1HlNn+
        NpfZaTQ/q9jnYJo6bFKvatI0oKCI1CtGpHawo2xL1B0iIr24iP3ME+MdSzx7a/YT
        /UWTN2WxC3wsypkWoQJBAODykGQwJFBZafxbhsQ9TSPQ91n1dx131GFOcqumhs8Z
        +tt9sXEH8LFXnK7LGf3YKTDnFjTHjVP1CjZETRf/hB0CQQDFJzkQ58rgwJ9ik8e8
        QoC8no3dEK5ZxLAhUiCblYMy8MQG3mpC07u0mv4GlkqZYO1zAbjJXk/b5nLtpAX0
        IutdAkB8YCHOA4BQnN+pFMIzBuH8B7J8Hui5dmQLWWC13+Fx6R929MyDfqxqodKU
        IuBAJqC/1UXF8QAHh9kZoDIwLqtRAkEAoQPLo3brRmuKwGOZOLPHmESV7/nzqvTs
        NApy/x44rJ3eOw3jEvkB0BrVZGPSQTncM5UwaaVQ63NmYZcYFa9/MQJBALiW6lrb
        ysVLsolp09dl4Dz2jPxLaS2Ol9Gamf7zFrI9OFWiPfE5f+BaU0PgcHRo+GpXUw7F
        8GU9E/sWtO46EZI=
        -----END PRIVATE KEY-----

        """

    private static let production = ["APP_ENV": "production", "SERVER_SECRET": String(repeating: "s", count: 32)]

    /// Writes `text` to a new file in a fresh temporary directory and answers its path.
    static func keyFile(_ text: String, name: String = "key.pem") throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("signing-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func problems(_ values: [String: String]) -> [String] {
        do {
            _ = try AppConfiguration { values[$0] }
            return []
        } catch {
            return (error as? ConfigurationError)?.problems ?? ["\(error)"]
        }
    }

    @Test func hs256IsTheDefaultAndTheAlgorithmIsOneOfFour() throws {
        #expect(try AppConfiguration { _ in nil }.jwtSigningAlgorithm == nil)
        #expect(try AppConfiguration { ["JWT_ALGORITHM": "eddsa"][$0] }.jwtSigningAlgorithm == .edDSA)
        #expect(try AppConfiguration { ["JWT_ALGORITHM": "HS256"][$0] }.jwtSigningAlgorithm == nil)
        #expect(problems(["JWT_ALGORITHM": "HS512"]) == ["JWT_ALGORITHM=HS512 is not valid: expected HS256, EdDSA, ES256 or RS256"])
        #expect(problems(["JWT_ALGORITHM": "none"]).count == 1)
    }

    @Test func productionNeedsAKeyFileButNoSharedSecretUnderAnAsymmetricAlgorithm() throws {
        var values = Self.production
        values["JWT_ALGORITHM"] = "ES256"
        #expect(problems(values) == [
            "JWT_ALGORITHM=ES256 needs JWT_PRIVATE_KEY_FILE in production (generate one with: authserver keys generate --algorithm ES256 --out FILE)",
        ])
        let key = PrivateSigningKey.generate(.es256)
        values["JWT_PRIVATE_KEY_FILE"] = try Self.keyFile(key.pemPKCS8())
        let configuration = try AppConfiguration { values[$0] }
        #expect(configuration.jwtSigningKey?.publicKey.keyID == key.publicKey.keyID)
        #expect(configuration.jwtSecret.isEmpty && !configuration.jwtSecretIsEphemeral && !configuration.jwtSigningKeyIsEphemeral)
    }

    @Test func outsideProductionAMissingKeyFileMeansAKeyPerProcess() throws {
        let configuration = try AppConfiguration { ["JWT_ALGORITHM": "RS256"][$0] }
        #expect(configuration.jwtSigningKeyIsEphemeral && configuration.jwtSigningKey == nil)
        // Until AuthServerApp generates that key, there is no signer: never HS256 under an empty secret.
        #expect(throws: ConfigurationError.self) { try configuration.accessTokenJWT() }
        #expect(throws: ConfigurationError.self) { try AppConfiguration { _ in nil }.accessTokenJWT() }
    }

    @Test func aKeyOfAnotherAlgorithmIsRefusedNamingItsFile() throws {
        let edDSA = try Self.keyFile(PrivateSigningKey.generate(.edDSA).pemPKCS8())
        let p256Public = try Self.keyFile(PrivateSigningKey.generate(.es256).publicKey.pemSPKI())
        #expect(problems(["JWT_ALGORITHM": "RS256", "JWT_PRIVATE_KEY_FILE": edDSA]) == [
            "JWT_PRIVATE_KEY_FILE: \(edDSA) holds an EdDSA key but JWT_ALGORITHM is RS256",
        ])
        #expect(problems(["JWT_ALGORITHM": "EdDSA", "JWT_PRIVATE_KEY_FILE": edDSA, "JWT_VERIFY_KEY_FILES": p256Public]) == [
            "JWT_VERIFY_KEY_FILES: \(p256Public) holds an ES256 key but JWT_ALGORITHM is EdDSA",
        ])
    }

    @Test func anRSAKeyUnder2048BitsIsRefusedAsSigningAndAsVerificationKey() throws {
        let weak = try Self.keyFile(Self.rsa1024PEM)
        for setting in ["JWT_PRIVATE_KEY_FILE", "JWT_VERIFY_KEY_FILES"] {
            let found = problems(["JWT_ALGORITHM": "RS256", setting: weak])
            #expect(found.count == 1 && found[0].hasPrefix("\(setting): \(weak) is not a usable")
                    && found[0].contains("RSA key of 1024 bits; at least 2048 required"), "\(found)")
        }
    }

    @Test func unreadableOrForeignFilesAreRefused() throws {
        let missing = "/nonexistent/\(UUID().uuidString).pem"
        #expect(problems(["JWT_ALGORITHM": "EdDSA", "JWT_PRIVATE_KEY_FILE": missing]) == ["JWT_PRIVATE_KEY_FILE: cannot read \(missing)"])
        let publicOnly = try Self.keyFile(PrivateSigningKey.generate(.edDSA).publicKey.pemSPKI())
        #expect(problems(["JWT_ALGORITHM": "EdDSA", "JWT_PRIVATE_KEY_FILE": publicOnly]).first?.contains("not a usable private key") == true)
        let garbage = try Self.keyFile("not a key")
        #expect(problems(["JWT_ALGORITHM": "EdDSA", "JWT_VERIFY_KEY_FILES": garbage]).first?.contains("not a usable key") == true)
    }

    @Test func keyFilesUnderHS256AreAMistake() throws {
        let key = try Self.keyFile(PrivateSigningKey.generate(.edDSA).pemPKCS8())
        #expect(problems(["JWT_PRIVATE_KEY_FILE": key]) == [
            "JWT_PRIVATE_KEY_FILE is set but JWT_ALGORITHM is HS256; set JWT_ALGORITHM to the keys' algorithm (EdDSA, ES256 or RS256)",
        ])
    }

    @Test func verificationKeysArePublicPEMsOrPrivateKeyFilesAndFollowTheSigningKey() throws {
        let current = PrivateSigningKey.generate(.edDSA)
        let previous = PrivateSigningKey.generate(.edDSA)
        let older = PrivateSigningKey.generate(.edDSA)
        let values = [
            "JWT_ALGORITHM": "EdDSA", "JWT_PRIVATE_KEY_FILE": try Self.keyFile(current.pemPKCS8()),
            "JWT_VERIFY_KEY_FILES": "\(try Self.keyFile(previous.pemPKCS8())), \(try Self.keyFile(older.publicKey.pemSPKI()))",
        ]
        let jwt = try AppConfiguration { values[$0] }.accessTokenJWT()
        #expect(jwt.algorithm == "EdDSA")
        #expect(jwt.publicKeys.keyIDs == [current, previous, older].map(\.publicKey.keyID))
    }
}
