import ArgumentParser
import AuthCrypto
import Foundation
import Glibc

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
                FileHandle.standardError.write(Data("authserver keys generate: \(error)\n".utf8))
                throw ExitCode(73)
            }
            print(key.publicKey.keyID)
        }
    }
}

/// A secret written where only its owner can read it: created with mode 0600 from the start
/// (never chmod-ed after being readable), and never over an existing file unless asked.
enum KeyFile {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func write(_ text: String, to path: String, replacing: Bool) throws {
        guard replacing else {
            try create(path, text, refusing: "\(path) already exists; choose another path or pass --force to replace it")
            return
        }
        // Written beside the target, then renamed over it: rename(2) replaces atomically.
        let temporary = "\(path).tmp-\(getpid())"
        try create(temporary, text, refusing: "\(temporary) already exists; remove it")
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw Failure(description: "cannot replace \(path): \(reason)")
        }
    }

    private static func create(_ path: String, _ text: String, refusing existing: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            throw Failure(description: errno == EEXIST ? existing : "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == bytes.count, synced else {
            unlink(path)
            throw Failure(description: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}
