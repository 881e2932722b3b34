import ArgumentParser
import AuthCrypto
import FoundationEssentials

extension SignatureAlgorithm: ExpressibleByArgument {}

/// `authserver keys generate`: signing keys for `JWT_PRIVATE_KEY_FILE` (README, "Signing keys and JWKS").
struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage the keys that sign access tokens.", subcommands: [Generate.self])

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a new private signing key (PKCS#8 PEM, mode 0600) and print its kid.",
            discussion: "Point JWT_PRIVATE_KEY_FILE at the file and set JWT_ALGORITHM to the same algorithm. Needs no database or other setting."
        )

        @Option(help: "EdDSA (Ed25519), ES256 (P-256) or RS256 (RSA 2048).")
        var algorithm: SignatureAlgorithm

        @Option(help: "The file to write; it must not exist yet.")
        var out: String

        @Flag(help: "Replace an existing file (atomically: it holds the old key or the new one, never part of either).")
        var force = false

        func run() throws {
            let key = PrivateSigningKey.generate(algorithm)
            do {
                try KeyFile.write(key.pemPKCS8(), to: out, replacing: force)
            } catch let error as KeyFile.Failure {
                StandardStreams.writeError("authserver keys generate: \(error)\n")
                throw ExitCode(73)
            }
            print(key.publicKey.keyID)
        }
    }
}
