import Foundation

/// Runs scripts/crypto-interop.py, the reference side of the interop tests (pyca/bcrypt,
/// libxcrypt's crypt(3), PyJWT, pyca/cryptography), with the Python named by TEST_PYTHON
/// (`make test` points it at a venv holding them), else `python3`.
///
/// A missing Python or module is an error that fails the calling test: the interop checks are
/// part of the contract, not optional extras.
enum InteropScript {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static var python: String {
        ProcessInfo.processInfo.environment["TEST_PYTHON"].flatMap { $0.isEmpty ? nil : $0 } ?? "python3"
    }

    static let scriptPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/crypto-interop.py").path

    /// Sends `lines` to `command` in one process and returns its answer to each, in order.
    static func run(_ command: String, _ argument: String? = nil, lines: [String]) throws -> [String] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crypto-interop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("stdin")
        let errors = directory.appendingPathComponent("stderr")
        try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: input)
        try Data().write(to: errors)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, scriptPath, command] + (argument.map { [$0] } ?? [])
        process.standardInput = try FileHandle(forReadingFrom: input)
        process.standardError = try FileHandle(forWritingTo: errors)
        let output = Pipe()
        process.standardOutput = output
        do {
            try process.run()
        } catch {
            throw Failure(description: "cannot start \(python) \(scriptPath): \(error)")
        }
        let answer = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let stderr = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw Failure(description: """
                \(python) crypto-interop.py \(command) exited with \(process.terminationStatus) \
                (set TEST_PYTHON to a Python with PyJWT, bcrypt and cryptography, e.g. /work/main/.venv/bin/python): \(stderr)
                """)
        }
        let answers = String(decoding: answer, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        guard answers.count == lines.count else {
            throw Failure(description: "crypto-interop.py \(command) answered \(answers.count) lines to \(lines.count)")
        }
        return answers
    }
}
