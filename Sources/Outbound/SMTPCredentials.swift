/// The user name and password from `SMTP_URL`. Printing, dumping or reflecting it shows the user
/// name only, so a stray log line cannot leak the password.
struct SMTPCredentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    let username: String
    let password: String

    var description: String { "\(username) (password hidden)" }
    var debugDescription: String { description }
    var customMirror: Mirror { Mirror(self, children: ["username": username]) }
}
