import FoundationEssentials

/// Reads settings by name (environment variables, or `.env`), parsing each and collecting every
/// problem instead of stopping at the first, so an operator fixes them all in one go.
package struct SettingsReader {
    private let value: (String) -> String?
    package private(set) var problems: [String] = []

    package init(_ value: @escaping (String) -> String?) {
        self.value = value
    }

    /// The raw text of `name`, trimmed; nil when unset or blank.
    func raw(_ name: String) -> String? {
        guard let raw = value(name)?.trimmingWhitespace(), !raw.isEmpty else { return nil }
        return raw
    }

    /// `parse`d text of `name`; when it does not parse, records a problem naming `expected` and answers nil.
    mutating func read<T>(_ name: String, _ expected: String, _ parse: (String) -> T?) -> T? {
        guard let raw = raw(name) else { return nil }
        guard let parsed = parse(raw) else {
            // Never echo a secret into the problem list.
            let shown = name.contains("SECRET") || name.contains("TOKEN") ? "…" : (raw.count > 40 ? String(raw.prefix(40)) + "…" : raw)
            problem("\(name)=\(shown) is not valid: expected \(expected)")
            return nil
        }
        return parsed
    }

    mutating func problem(_ text: String) {
        problems.append(text)
    }

    package mutating func integer(_ name: String, in range: ClosedRange<Int>, default fallback: Int) -> Int {
        read(name, range.upperBound >= Int(Int32.max) ? "a whole number of at least \(range.lowerBound)"
                                                     : "a whole number from \(range.lowerBound) to \(range.upperBound)") {
            Int($0).flatMap { range.contains($0) ? $0 : nil }
        } ?? fallback
    }

    package mutating func bool(_ name: String, default fallback: Bool) -> Bool {
        read(name, "true or false", SettingParsers.bool) ?? fallback
    }

    /// Whole seconds, for lifetimes that end up in tokens and SQL intervals. Any positive
    /// duration is accepted (`2s` lets a frontend test its expiry handling); a fraction rounds
    /// up so that no positive setting becomes zero. `allowingZero` for intervals 0 turns off.
    package mutating func seconds(_ name: String, default fallback: Int, allowingZero: Bool = false, maximum: Double? = nil) -> Int {
        let expected = (allowingZero ? "a duration of 0 or more" : "a positive duration") + (maximum.map { " of at most \(Int($0))s" } ?? "")
            + ", e.g. 900, 15m or 7d"
        return read(name, expected) { text in
            SettingParsers.duration(text).flatMap { seconds in
                guard allowingZero ? seconds >= 0 : seconds > 0, seconds <= (maximum ?? .greatestFiniteMagnitude) else { return nil }
                return Int(seconds.rounded(.up))
            }
        } ?? fallback
    }

    /// Fractional seconds, for timeouts.
    package mutating func interval(_ name: String, default fallback: Double, allowingZero: Bool = false) -> Double {
        read(name, allowingZero ? "a duration of 0 or more, e.g. 15s" : "a positive duration, e.g. 10s or 500ms") { text in
            SettingParsers.duration(text).flatMap { allowingZero ? ($0 >= 0 ? $0 : nil) : ($0 > 0 ? $0 : nil) }
        } ?? fallback
    }
}
