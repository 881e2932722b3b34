import AuthCrypto

/// The bcrypt hash parser (`BCryptSetting`, and `BCrypt.cost(of:)` / `verify` over it) on
/// arbitrary bytes.
///
/// Invariants: a setting that parses is canonical (it encodes back to exactly the 29 bytes it
/// was read from, so two spellings of one salt cannot exist); `cost(of:)` answers only for
/// 60-byte hashes whose setting parses, with that cost; `verify` of a cheap hash does not crash
/// (costs above 5 are not run: a cost-31 hash is 2^31 rounds, a hang by design).
public enum BCryptSettingTarget: FuzzTarget {
    public static let name = "BCryptSetting"

    public static func check(_ input: [UInt8]) throws(InvariantViolation) {
        let setting = input.withUnsafeBufferPointer { BCryptSetting(parsing: $0) }
        if let setting {
            try require(setting.encoded() == Array(input.prefix(BCryptSetting.length)), "parsed a non-canonical setting")
            try require(BCrypt.costs.contains(setting.cost), "parsed cost \(setting.cost)")
        }
        let text = String(decoding: input, as: UTF8.self)
        if let cost = BCrypt.cost(of: text) {
            try require(input.count == BCryptSetting.hashLength, "a cost for a hash of \(input.count) bytes")
            try require(cost == setting?.cost, "cost(of:) \(cost), setting \(String(describing: setting?.cost))")
        }
        if let setting, setting.cost <= 5 {
            _ = BCrypt.verify(password: Array(input.suffix(8)), hash: text)
        }
    }
}
