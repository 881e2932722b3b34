/// The bcrypt hash prefixes we compute and verify, named by the letter after `$2`.
///
/// `$2x$` is deliberately absent: it marks hashes from crypt_blowfish's sign-extension bug
/// (before 1.1), under which distinct 8-bit passwords share a hash. Accepting such a hash would
/// let a different password log in, and this service never stored one, so it verifies as false.
enum BCryptVariant: UInt8, Sendable {
    /// crypt_blowfish's `$2a$`, including its countermeasure against `$2x$` collisions.
    case a = 0x61
    /// OpenBSD's current prefix; what `BCrypt.hash(password:cost:)` produces.
    case b = 0x62
    /// crypt_blowfish's name for the correct algorithm; identical to `$2b$`.
    case y = 0x79
}
