import ArgumentParser
import FoundationEssentials
import Glibc

/// Reads a password without it ever being a command-line argument.
enum PasswordInput {
    static func read(file: String?) throws -> String {
        let text: String
        if let file {
            guard let data = FileManager.default.contents(atPath: file), let contents = String(data: data, encoding: .utf8) else {
                throw ValidationError("cannot read the password file \(file)")
            }
            text = contents
        } else if isatty(STDIN_FILENO) == 1 {
            guard let entered = getpass("Password: ") else { throw ValidationError("no password entered") }
            text = String(cString: entered)
        } else {
            text = String(decoding: StandardStreams.readInput(), as: UTF8.self)
        }
        // One trailing line break is the file's or the terminal's, not the password's.
        var password = Substring(text)
        if password.hasSuffix("\n") { password = password.dropLast() }
        if password.hasSuffix("\r") { password = password.dropLast() }
        return String(password)
    }
}
