/// What a password must be. bcrypt reads at most 72 bytes and stops at NUL, so longer or
/// NUL-holding passwords are refused rather than silently truncated.
enum PasswordPolicy {
    static let minimumCharacters = 8
    static let maximumBytes = 72

    /// The problem with `password`, or nil when it is acceptable.
    static func problem(with password: String) -> String? {
        if password.utf8.contains(0) { return "must not contain a NUL character" }
        if password.count < minimumCharacters { return "must be at least \(minimumCharacters) characters" }
        if password.utf8.count > maximumBytes { return "must be at most \(maximumBytes) bytes in UTF-8" }
        return nil
    }

    /// Whether bcrypt reads all of `password`: a longer one must not log in on its first 72 bytes.
    static func fitsBcrypt(_ password: String) -> Bool {
        password.utf8.count <= maximumBytes && !password.utf8.contains(0)
    }
}
