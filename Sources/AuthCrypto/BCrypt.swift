/// bcrypt password hashing, compatible with OpenBSD's bcrypt and crypt_blowfish/libxcrypt for
/// `$2a$`, `$2b$` and `$2y$` (`$2x$` verifies as false: see `BCryptVariant`).
///
/// The primitive hashes any bytes; the API layer rejects passwords over 72 bytes or holding NUL,
/// which bcrypt would truncate.
public enum BCrypt {
    /// Cost bounds (log2 of the round count) that every implementation accepts.
    public static let costs = BCryptSetting.costs

    /// A `$2b$` hash of `password` with a fresh 16-byte salt: `$2b$NN$` + 22 + 31 characters.
    public static func hash(password: [UInt8], cost: Int) -> String {
        precondition(costs.contains(cost), "bcrypt cost must be within 4...31")
        let setting = BCryptSetting(variant: .b, cost: cost, salt: SecureRandom.bytes(count: BCryptSetting.saltByteCount))
        return String(decoding: hash(password: password, setting: setting), as: UTF8.self)
    }

    /// Whether `password` matches `hash`; false for any malformed or unsupported hash.
    /// The recomputed hash is compared in constant time.
    public static func verify(password: [UInt8], hash: String) -> Bool {
        var stored = hash
        return stored.withUTF8 { stored in
            guard stored.count == BCryptSetting.hashLength, let setting = BCryptSetting(parsing: stored) else {
                return false
            }
            return constantTimeEquals(self.hash(password: password, setting: setting), stored)
        }
    }

    /// The cost of a well-formed hash, to rehash on login when it is below the configured cost.
    public static func cost(of hash: String) -> Int? {
        var hash = hash
        return hash.withUTF8 { hash in
            guard hash.count == BCryptSetting.hashLength,
                  let setting = BCryptSetting(parsing: hash),
                  Radix64.bcrypt.decode(UnsafeBufferPointer(rebasing: hash[BCryptSetting.length...])) != nil
            else { return nil }
            return setting.cost
        }
    }

    /// crypt(3) for bcrypt: hashes `password` with the prefix, cost and salt of `setting`, either
    /// a 29-character setting or a whole hash. Nil when the setting is malformed.
    static func hash(password: [UInt8], setting: String) -> String? {
        var text = setting
        let parsed = text.withUTF8 { text in
            text.count == BCryptSetting.length || text.count == BCryptSetting.hashLength ? BCryptSetting(parsing: text) : nil
        }
        return parsed.map { String(decoding: hash(password: password, setting: $0), as: UTF8.self) }
    }

    private static func hash(password: [UInt8], setting: BCryptSetting) -> [UInt8] {
        var text = setting.encoded()
        let digest = password.withUnsafeBytes { EksBlowfish.digest(password: $0, setting: setting) }
        digest.withUnsafeBytes { Radix64.bcrypt.append(encoding: UnsafeRawBufferPointer(rebasing: $0[..<23]), to: &text) }
        return text
    }
}
