import Foundation

/// The Python scripts in Tests/Support, run with the Python named by TEST_PYTHON (a venv with
/// aiosmtpd and cryptography, e.g. `.venv/bin/python`), else `python3`.
///
/// A missing Python or module fails the calling test: the real servers are the point.
public enum SupportScript {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static var python: String {
        ProcessInfo.processInfo.environment["TEST_PYTHON"].flatMap { $0.isEmpty ? nil : $0 } ?? "python3"
    }

    public static func path(_ script: String) -> String {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Support").appendingPathComponent(script).path
    }

    /// A process running `script` with `arguments`; the caller sets its pipes and runs it.
    public static func process(_ script: String, _ arguments: [String]) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, path(script)] + arguments
        return process
    }

    /// Runs `script` to completion with `input` on stdin; returns its stdout. Fails on a
    /// non-zero exit, with its stderr.
    ///
    /// Files, not pipes: a server that another test starts meanwhile may inherit a pipe's write
    /// end, and a read to end of file would then wait for that server.
    public static func run(_ script: String, _ arguments: [String] = [], input: Data = Data()) throws -> Data {
        let directory = try TemporaryDirectory()
        let inputFile = directory.file("stdin")
        let outputFile = directory.file("stdout")
        let errorFile = directory.file("stderr")
        try input.write(to: URL(fileURLWithPath: inputFile))
        _ = FileManager.default.createFile(atPath: outputFile, contents: nil)
        _ = FileManager.default.createFile(atPath: errorFile, contents: nil)
        let process = process(script, arguments)
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inputFile))
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputFile))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorFile))
        try launch(process, script)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw failure(script, "exited with \(process.terminationStatus)", stderr: errorFile)
        }
        return try Data(contentsOf: URL(fileURLWithPath: outputFile))
    }

    public static func launch(_ process: Process, _ script: String) throws {
        do {
            try process.run()
        } catch {
            throw Failure(description: "cannot start \(python) \(path(script)): \(error)")
        }
    }

    public static func failure(_ script: String, _ what: String, stderr path: String) -> Failure {
        let stderr = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return Failure(description: """
            \(python) \(script) \(what) (set TEST_PYTHON to a Python with aiosmtpd and cryptography, \
            e.g. .venv/bin/python): \(stderr)
            """)
    }
}
