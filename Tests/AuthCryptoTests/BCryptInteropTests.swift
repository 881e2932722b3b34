@testable import AuthCrypto
import Testing

/// Hundreds of random passwords at cost 4, both ways, against pyca/bcrypt and libxcrypt's
/// crypt(3). Passwords are random bytes (8-bit included, never NUL, which the C side cannot
/// take); failures print the password in hex to reproduce.
struct BCryptInteropTests {
    static let count = 200

    /// Random lengths 0...maximumLength, with the empty and the 72-byte boundary always included.
    private static func randomPasswords(maximumLength: Int) -> [[UInt8]] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { index in
            let length = index == 0 ? 0 : index == 1 ? 72 : Int.random(in: 0...maximumLength, using: &generator)
            return (0..<length).map { _ in UInt8.random(in: 1...255, using: &generator) }
        }
    }

    private static let variants: [BCryptVariant] = [.a, .b, .y]

    private static func setting(_ variant: BCryptVariant) -> String {
        String(decoding: BCryptSetting(variant: variant, cost: 4, salt: SecureRandom.bytes(count: 16)).encoded(), as: UTF8.self)
    }

    @Test func ourHashesVerifyInPycaBcrypt() throws {
        let passwords = Self.randomPasswords(maximumLength: 72)
        let hashes = passwords.map { BCrypt.hash(password: $0, cost: 4) }
        // Every other line asks about a neighbouring password, which must not verify.
        let questions = passwords.indices.map { index in
            let password = index % 2 == 0 || passwords[index].isEmpty ? passwords[index] : [passwords[index][0] ^ 0x01] + passwords[index].dropFirst()
            return (password, password == passwords[index])
        }
        let answers = try InteropScript.run("bcrypt-check", lines: zip(questions, hashes).map { "\(Hex.encode($0.0.0)) \($0.1)" })
        for (index, answer) in answers.enumerated() {
            #expect(answer == (questions[index].1 ? "1" : "0"), "password \(Hex.encode(questions[index].0)), hash \(hashes[index])")
        }
    }

    @Test func pycaBcryptHashesVerifyHere() throws {
        let passwords = Self.randomPasswords(maximumLength: 72)
        let hashes = try InteropScript.run("bcrypt-hash", "4", lines: passwords.map { Hex.encode($0) })
        for (password, hash) in zip(passwords, hashes) {
            #expect(hash.hasPrefix("$2b$04$"))
            #expect(BCrypt.verify(password: password, hash: hash), "password \(Hex.encode(password)), hash \(hash)")
        }
    }

    /// crypt(3) must reproduce our `$2a$`, `$2b$` and `$2y$` hashes, passwords over 72 bytes included.
    @Test func ourHashesMatchCrypt3() throws {
        let passwords = Self.randomPasswords(maximumLength: 100)
        let hashes = passwords.indices.map { BCrypt.hash(password: passwords[$0], setting: Self.setting(Self.variants[$0 % 3]))! }
        let answers = try InteropScript.run("crypt-check", lines: zip(passwords, hashes).map { "\(Hex.encode($0)) \($1)" })
        for (index, answer) in answers.enumerated() {
            #expect(answer == "1", "password \(Hex.encode(passwords[index])), hash \(hashes[index])")
        }
    }

    @Test func crypt3HashesVerifyHere() throws {
        let passwords = Self.randomPasswords(maximumLength: 100)
        let prefixes = ["2a", "2b", "2y"]
        let hashes = try InteropScript.run("crypt-hash", "4", lines: passwords.indices.map { "\(Hex.encode(passwords[$0])) \(prefixes[$0 % 3])" })
        for (index, hash) in hashes.enumerated() {
            #expect(hash.hasPrefix("$\(prefixes[index % 3])$04$"))
            #expect(BCrypt.verify(password: passwords[index], hash: hash), "password \(Hex.encode(passwords[index])), hash \(hash)")
        }
    }
}
