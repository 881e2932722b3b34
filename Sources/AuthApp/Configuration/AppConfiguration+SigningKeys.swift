import AuthCrypto
import FoundationEssentials

extension AppConfiguration {
    /// `JWT_ALGORITHM`, `JWT_PRIVATE_KEY_FILE` and `JWT_VERIFY_KEY_FILES` (API.md, "Signing keys
    /// and JWKS"). Every key is read and checked at start: one of another algorithm, an RSA key
    /// under 2048 bits or an unreadable file stops the server with a message naming the file.
    mutating func readSigningKeys(_ settings: inout SettingsReader) {
        let names = ["HS256"] + SignatureAlgorithm.allCases.map(\.rawValue)
        let chosen = settings.read("JWT_ALGORITHM", "HS256, EdDSA, ES256 or RS256") { text in
            names.first { $0.uppercased() == text.uppercased() }
        }
        jwtSigningAlgorithm = chosen.flatMap(SignatureAlgorithm.init(rawValue:))
        let privateKeyFile = settings.raw("JWT_PRIVATE_KEY_FILE")
        let verifyKeyFiles = settings.raw("JWT_VERIFY_KEY_FILES").map(SettingParsers.list) ?? []
        guard let algorithm = jwtSigningAlgorithm else {
            // A key file under HS256 means the algorithm was forgotten: tokens would not be what the operator expects.
            for (name, isSet) in [("JWT_PRIVATE_KEY_FILE", privateKeyFile != nil), ("JWT_VERIFY_KEY_FILES", !verifyKeyFiles.isEmpty)] where isSet {
                settings.problem("\(name) is set but JWT_ALGORITHM is HS256; set JWT_ALGORITHM to the keys' algorithm (EdDSA, ES256 or RS256)")
            }
            return
        }
        if let privateKeyFile {
            jwtSigningKey = Self.signingKey(file: privateKeyFile, setting: "JWT_PRIVATE_KEY_FILE", algorithm: algorithm, &settings)
        } else if isProduction {
            settings.problem("JWT_ALGORITHM=\(algorithm.rawValue) needs JWT_PRIVATE_KEY_FILE in production (generate one with: authserver keys generate --algorithm \(algorithm.rawValue) --out FILE)")
        } else {
            jwtSigningKeyIsEphemeral = true
        }
        jwtVerificationKeys = verifyKeyFiles.compactMap { file in
            Self.verificationKey(file: file, algorithm: algorithm, &settings)
        }
    }

    /// The access-token signer and verifier the configuration describes, once `AuthServerApp`
    /// has filled in a per-process key or secret. Never falls back to HS256 under an empty key.
    func accessTokenJWT() throws -> AccessTokenJWT {
        switch (jwtSigningAlgorithm, jwtSigningKey) {
        case (nil, _):
            guard !jwtSecret.isEmpty else { throw ConfigurationError(problems: ["HS256 without a secret"]) }
            return AccessTokenJWT(secret: jwtSecret, issuer: jwtIssuer, audience: jwtAudience, leeway: jwtLeeway)
        case (_, let signingKey?):
            return try AccessTokenJWT(signingKey: signingKey, verificationKeys: jwtVerificationKeys, issuer: jwtIssuer,
                                      audience: jwtAudience, leeway: jwtLeeway)
        case (let algorithm?, nil):
            throw ConfigurationError(problems: ["JWT_ALGORITHM=\(algorithm.rawValue) without a signing key"])
        }
    }

    private static func signingKey(file: String, setting: String, algorithm: SignatureAlgorithm,
                                   _ settings: inout SettingsReader) -> PrivateSigningKey? {
        guard let pem = pemText(file: file, setting: setting, &settings) else { return nil }
        do {
            let key = try PrivateSigningKey(pem: pem)
            guard key.algorithm == algorithm else {
                settings.problem("\(setting): \(file) holds an \(key.algorithm.rawValue) key but JWT_ALGORITHM is \(algorithm.rawValue)")
                return nil
            }
            return key
        } catch {
            settings.problem("\(setting): \(file) is not a usable private key (\(error)); expected unencrypted PKCS#8 PEM")
            return nil
        }
    }

    /// A public key (SPKI PEM) or a private key whose public half is used: the previous
    /// `JWT_PRIVATE_KEY_FILE` moves here unchanged during a rotation.
    private static func verificationKey(file: String, algorithm: SignatureAlgorithm,
                                        _ settings: inout SettingsReader) -> PublicSigningKey? {
        let setting = "JWT_VERIFY_KEY_FILES"
        guard let pem = pemText(file: file, setting: setting, &settings) else { return nil }
        guard !pem.contains("-----BEGIN PRIVATE KEY-----") else {
            return signingKey(file: file, setting: setting, algorithm: algorithm, &settings)?.publicKey
        }
        do {
            let key = try PublicSigningKey(pem: pem)
            guard key.algorithm == algorithm else {
                settings.problem("\(setting): \(file) holds an \(key.algorithm.rawValue) key but JWT_ALGORITHM is \(algorithm.rawValue)")
                return nil
            }
            return key
        } catch {
            settings.problem("\(setting): \(file) is not a usable key (\(error)); expected a PUBLIC KEY or PKCS#8 PRIVATE KEY PEM")
            return nil
        }
    }

    /// Key files are a few kilobytes at most; a larger one is a wrong path, not a key.
    private static func pemText(file: String, setting: String, _ settings: inout SettingsReader) -> String? {
        guard let data = FileManager.default.contents(atPath: file) else {
            settings.problem("\(setting): cannot read \(file)")
            return nil
        }
        guard data.count <= 64 * 1024 else {
            settings.problem("\(setting): \(file) is \(data.count) bytes, too large for a PEM key")
            return nil
        }
        return String(decoding: data, as: UTF8.self)
    }
}
