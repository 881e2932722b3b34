import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A server from Tests/Support (smtp_server.py, https_server.py) running as a child process on
/// 127.0.0.1, on the port it printed.
///
/// Stopped by `stop()` or deinit: SIGTERM to its PID, then the exit is awaited. Its stdin stays
/// open until then; the scripts exit when it closes, so they die with the test process even
/// when that crashes.
public final class ScriptServer {
    /// How long a script may take to print its port (Python imports included).
    private static let startTimeout: Int32 = 20_000

    public let port: Int
    private let process: Process
    /// Held, not written: its end closing is the script's signal to exit.
    private let input: Pipe
    private let logs: TemporaryDirectory

    public init(_ script: String, _ arguments: [String]) throws {
        logs = try TemporaryDirectory()
        let errorFile = logs.file("stderr")
        _ = FileManager.default.createFile(atPath: errorFile, contents: nil)
        process = SupportScript.process(script, arguments)
        input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorFile))
        try SupportScript.launch(process, script)
        guard let line = Self.readLine(output.fileHandleForReading.fileDescriptor, timeoutMilliseconds: Self.startTimeout),
              let port = Int(line)
        else {
            process.terminate()
            process.waitUntilExit()
            throw SupportScript.failure(script, "printed no port", stderr: errorFile)
        }
        self.port = port
    }

    deinit {
        stop()
    }

    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// The first line `descriptor` delivers within the timeout; nil on timeout or end of file.
    private static func readLine(_ descriptor: Int32, timeoutMilliseconds: Int32) -> String? {
        let deadline = Date() + Double(timeoutMilliseconds) / 1000
        var bytes: [UInt8] = []
        while true {
            var ready = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let remaining = Int32(max(0, deadline.timeIntervalSinceNow * 1000))
            guard poll(&ready, 1, remaining) == 1 else { return nil }
            var byte: UInt8 = 0
            guard read(descriptor, &byte, 1) == 1 else { return nil }
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
    }
}
