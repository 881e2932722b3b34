import PostgresClient

/// A signed-in user proving they know their password again (change-password, account
/// deletion). Wrong passwords count against the account like failed logins, so a stolen access
/// token does not become a way to guess the password.
struct PasswordConfirmation: Sendable {
    let users: UserRepository
    let hasher: PasswordHasher
    let throttle: LoginThrottle

    /// The stored hash the password matched, nil when it is wrong (or the account has none).
    /// Throws `TOO_MANY_ATTEMPTS` past the account's limit.
    func confirm(_ password: String, for user: User, on database: PostgresDatabase) async throws -> String? {
        try await throttle.admitPasswordCheck(email: user.email)
        let stored = try await users.passwordHash(id: user.id, on: database)?.hash
        guard try await hasher.verify(password, against: stored), let stored else { return nil }
        try await throttle.passwordCheckSucceeded(email: user.email)
        return stored
    }
}
