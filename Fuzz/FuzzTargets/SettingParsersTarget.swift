import AuthApp
import Foundation

/// The configuration value parsers (`SettingParsers`, and `SettingsReader`'s conversions to
/// whole seconds and intervals) on arbitrary text, as the value of every kind of setting.
///
/// Invariants: no crash (a duration too large for the integer or nanosecond types it ends up in
/// is refused, not trapped on); durations are finite, within 0...`maximumDuration`, and their
/// nanoseconds fit the event loop's UInt64 deadlines; sizes are non-negative; list items are
/// non-empty and trimmed and hold no comma; every origin is a base URL and has an origin.
public enum SettingParsersTarget: FuzzTarget {
    public static let name = "SettingParsers"

    public static func check(_ input: [UInt8]) throws(InvariantViolation) {
        let text = String(decoding: input, as: UTF8.self)

        if let duration = SettingParsers.duration(text) {
            try require(duration.isFinite && (0...SettingParsers.maximumDuration).contains(duration), "duration \(duration)")
            try require(duration * 1e9 < Double(UInt64.max), "duration \(duration) overflows nanoseconds")
        }
        var settings = SettingsReader { _ in text }
        let seconds = settings.seconds("TTL", default: 1)
        let interval = settings.interval("TIMEOUT", default: 1, allowingZero: true)
        try require(seconds >= 0 && interval >= 0 && interval.isFinite, "seconds \(seconds), interval \(interval)")
        _ = settings.integer("COUNT", in: 1...Int(Int32.max), default: 1)
        _ = settings.bool("FLAG", default: false)

        if let size = SettingParsers.size(text) {
            try require(size >= 0, "size \(size)")
        }
        if let flag = SettingParsers.bool(text) {
            try require(SettingParsers.bool(flag ? "true" : "false") == flag, "bool \(flag)")
        }
        for item in SettingParsers.list(text) {
            try require(!item.isEmpty && !item.contains(",") && item == item.trimmingCharacters(in: .whitespaces), "list item '\(item)'")
        }
        if SettingParsers.isOrigin(text) {
            try require(SettingParsers.isBaseURL(text) && SettingParsers.origin(of: text) != nil, "origin \(text)")
        }
        if SettingParsers.isBaseURL(text) {
            try require(SettingParsers.origin(of: text) != nil, "base URL \(text) without an origin")
        }
    }
}
