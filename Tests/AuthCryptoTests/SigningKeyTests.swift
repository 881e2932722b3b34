@testable import AuthCrypto
import Testing

/// Private and public signing keys: generation, signing and verification for each algorithm,
/// PEM round trips, and the keys we refuse to load.
struct SigningKeyTests {
    private static let message = Array("header.payload".utf8)

    @Test(arguments: SignatureAlgorithm.allCases)
    func aGeneratedKeySignsAndItsPublicKeyVerifies(algorithm: SignatureAlgorithm) {
        let key = SigningKeyTestSupport.key(algorithm)
        #expect(key.algorithm == algorithm)
        #expect(key.publicKey.algorithm == algorithm)
        let signature = key.sign(Self.message)
        #expect(signature.count == (algorithm == .rs256 ? 256 : 64))
        #expect(key.publicKey.isValidSignature(signature, for: Self.message))
        #expect(!key.publicKey.isValidSignature(signature, for: Array("header.payloae".utf8)))
        #expect(!SigningKeyTestSupport.otherKey(algorithm).publicKey.isValidSignature(signature, for: Self.message))
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func signaturesOfTheWrongLengthAreInvalid(algorithm: SignatureAlgorithm) {
        let key = SigningKeyTestSupport.key(algorithm)
        let signature = key.sign(Self.message)
        #expect(!key.publicKey.isValidSignature(signature + [0], for: Self.message))
        #expect(!key.publicKey.isValidSignature(signature.dropLast(), for: Self.message))
        #expect(!key.publicKey.isValidSignature([UInt8](), for: Self.message))
    }

    /// Ed25519 and PKCS#1 v1.5 signatures depend only on key and message; ECDSA's do not.
    @Test func onlyES256SignaturesVaryFromCallToCall() {
        for algorithm in SignatureAlgorithm.allCases {
            let key = SigningKeyTestSupport.key(algorithm)
            #expect((key.sign(Self.message) == key.sign(Self.message)) == (algorithm != .es256))
        }
    }

    /// The contexts a key signs and verifies with are copied per operation, so one key serves
    /// many threads at once.
    @Test(arguments: SignatureAlgorithm.allCases)
    func aKeyIsSafeToShareAcrossTasks(algorithm: SignatureAlgorithm) async {
        let key = SigningKeyTestSupport.key(algorithm)
        let results = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<8 {
                group.addTask {
                    (0..<20).allSatisfy { round in
                        let message = Array("message \(index) \(round)".utf8)
                        return key.publicKey.isValidSignature(key.sign(message), for: message)
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results == Array(repeating: true, count: 8))
    }

    @Test func anEmptyMessageSignsAndVerifies() {
        for algorithm in SignatureAlgorithm.allCases {
            let key = SigningKeyTestSupport.key(algorithm)
            #expect(key.publicKey.isValidSignature(key.sign([UInt8]()), for: [UInt8]()))
        }
    }

    // MARK: PEM

    @Test(arguments: SignatureAlgorithm.allCases)
    func aPrivateKeySurvivesPKCS8PEM(algorithm: SignatureAlgorithm) throws {
        let key = SigningKeyTestSupport.key(algorithm)
        let pem = key.pemPKCS8()
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        #expect(pem.hasSuffix("-----END PRIVATE KEY-----\n"))
        let reread = try PrivateSigningKey(pem: pem)
        #expect(reread.algorithm == algorithm)
        #expect(reread.publicKey.keyID == key.publicKey.keyID)
        #expect(key.publicKey.isValidSignature(reread.sign(Self.message), for: Self.message))
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func aPublicKeySurvivesSPKIPEM(algorithm: SignatureAlgorithm) throws {
        let key = SigningKeyTestSupport.key(algorithm)
        let pem = key.publicKey.pemSPKI()
        #expect(pem.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
        let reread = try PublicSigningKey(pem: pem)
        #expect(reread.algorithm == algorithm)
        #expect(reread.keyID == key.publicKey.keyID)
        #expect(reread.isValidSignature(key.sign(Self.message), for: Self.message))
    }

    @Test func theGeneratedRSAKeyHasTheMinimumSize() {
        #expect(SigningKeyTestSupport.key(.rs256).publicKey.signatureLength * 8 == SignatureAlgorithm.minimumRSABits)
    }

    @Test func aDescriptionNamesTheKeyWithoutItsSecret() {
        let key = SigningKeyTestSupport.key(.edDSA)
        #expect(key.description == "PrivateSigningKey(EdDSA, kid \(key.publicKey.keyID))")
        #expect(!String(describing: key).contains("PRIVATE KEY"))
    }

    // MARK: Refusals

    @Test func anRSAKeyOf1024BitsIsRefused() {
        #expect(throws: SigningKeyError.rsaKeyTooSmall(bits: 1024)) { try PrivateSigningKey(pem: SigningKeyTestSupport.rsa1024PKCS8) }
        #expect(throws: SigningKeyError.rsaKeyTooSmall(bits: 1024)) { try PublicSigningKey(pem: SigningKeyTestSupport.rsa1024SPKI) }
    }

    @Test func aP384KeyIsRefused() {
        #expect(throws: SigningKeyError.unsupportedKey("EC curve secp384r1; only P-256 (ES256)")) {
            try PrivateSigningKey(pem: SigningKeyTestSupport.p384PKCS8)
        }
    }

    @Test func onlyUnencryptedPKCS8IsReadAsAPrivateKey() {
        for pem in [SigningKeyTestSupport.p256SEC1, SigningKeyTestSupport.encryptedPKCS8, SigningKeyTestSupport.key(.edDSA).publicKey.pemSPKI()] {
            #expect(throws: SigningKeyError.self) { try PrivateSigningKey(pem: pem) }
            #expect(invalidPEMReason { try PrivateSigningKey(pem: pem) }?.hasPrefix("no unencrypted PKCS#8 block") == true)
        }
    }

    @Test func aPrivateKeyIsNotReadAsAPublicKey() {
        #expect(invalidPEMReason { try PublicSigningKey(pem: SigningKeyTestSupport.key(.es256).pemPKCS8()) }?.hasPrefix("no SubjectPublicKeyInfo block") == true)
    }

    @Test func garbageAndOversizedPEMAreRefused() {
        #expect(invalidPEMReason { try PrivateSigningKey(pem: "") } != nil)
        #expect(invalidPEMReason { try PublicSigningKey(pem: "-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----\n") } != nil)
        let huge = String(repeating: "A", count: EVPKey.maximumPEMLength + 1)
        #expect(throws: SigningKeyError.invalidPEM("longer than \(EVPKey.maximumPEMLength) bytes")) { try PrivateSigningKey(pem: huge) }
    }

    /// A failure leaves nothing in OpenSSL's per-thread error queue for TLS code to misread.
    @Test func refusalsLeaveOpenSSLsErrorQueueEmpty() {
        _ = try? PrivateSigningKey(pem: SigningKeyTestSupport.encryptedPKCS8)
        _ = SigningKeyTestSupport.key(.es256).publicKey.isValidSignature([UInt8](repeating: 0, count: 64), for: Self.message)
        #expect(OpenSSLErrorQueue.drain() == "unknown")
    }

    private func invalidPEMReason(_ body: () throws -> Any) -> String? {
        do {
            _ = try body()
            return nil
        } catch {
            guard case .invalidPEM(let reason) = error as? SigningKeyError else { return nil }
            return reason
        }
    }
}
