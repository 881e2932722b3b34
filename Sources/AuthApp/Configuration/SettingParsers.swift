import FoundationEssentials

/// Parsers for the value formats of the configuration: durations (`900`, `15m`, `7d`), sizes
/// with binary suffixes (`1MB` = 1,048,576 bytes), booleans, lists, origins and base URLs.
package enum SettingParsers {
    /// The longest duration accepted: 100 years. Lifetimes become whole seconds added to
    /// timestamps, timeouts nanoseconds on the event loop's UInt64 clock; past this bound either
    /// would overflow (a process trap at start or on the first token) instead of a clear refusal.
    package static let maximumDuration: Double = 100 * 365.25 * 86400

    /// Seconds, or a number with one of `ms`, `s`, `m`, `h`, `d`; at most `maximumDuration`.
    package static func duration(_ text: String) -> Double? {
        let text = text.trimmingWhitespace().lowercased()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        let (digits, scale) = units.first { text.hasSuffix($0.0) }.map { (text.dropLast($0.0.count), $0.1) } ?? (Substring(text), 1)
        guard let number = Double(digits), number >= 0, number * scale <= maximumDuration else { return nil }
        return number * scale
    }

    /// Bytes, or a whole number with `KB`, `MB` or `GB` (powers of 1,024).
    package static func size(_ text: String) -> Int? {
        let text = text.trimmingWhitespace().uppercased()
        let units: [(String, Int)] = [("KB", 1 << 10), ("MB", 1 << 20), ("GB", 1 << 30), ("B", 1)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            guard let number = Int(text.dropLast(suffix.count).trimmingWhitespace()), number >= 0 else { return nil }
            return number.multipliedReportingOverflow(by: scale).overflow ? nil : number * scale
        }
        guard let number = Int(text), number >= 0 else { return nil }
        return number
    }

    package static func bool(_ text: String) -> Bool? {
        switch text.trimmingWhitespace().lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: return nil
        }
    }

    /// Comma-separated items, trimmed, empty ones dropped. Split on the byte: a "," after a
    /// prepended mark (U+0600...) is one Character with it, yet still separates.
    package static func list(_ text: String) -> [String] {
        text.utf8.split(separator: UInt8(ascii: ",")).map { Substring($0).trimmingWhitespace() }.filter { !$0.isEmpty }
    }

    /// An origin as browsers send it (RFC 6454): `scheme://host[:port]`, nothing after. `*` is
    /// not one: with credentials, a wildcard would let every site read every response.
    package static func isOrigin(_ text: String) -> Bool {
        guard let components = URLComponents(string: text), let scheme = components.scheme, ["http", "https"].contains(scheme),
              let host = components.host, !host.isEmpty
        else { return false }
        return components.path.isEmpty && components.query == nil && components.fragment == nil && components.user == nil
    }

    /// An http(s) URL with a host, optionally a path: PUBLIC_URL, APP_URL.
    package static func isBaseURL(_ text: String) -> Bool {
        guard let components = URLComponents(string: text), let scheme = components.scheme, ["http", "https"].contains(scheme),
              let host = components.host, !host.isEmpty
        else { return false }
        return components.query == nil && components.fragment == nil
    }

    /// `scheme://host[:port]` of a base URL.
    package static func origin(of url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host else { return nil }
        return components.port.map { "\(scheme)://\(host):\($0)" } ?? "\(scheme)://\(host)"
    }
}
