import FoundationEssentials

/// Converts `Date` to and from PostgreSQL's timestamp text, at PostgreSQL's microsecond precision.
///
/// Hand-written because Foundation's ISO 8601 formatter stops at milliseconds.
enum PostgresTimestamp {
    private static let secondsPerDay = 86_400

    /// `2024-05-01T12:34:56.123456Z`: ISO 8601, UTC, always six fractional digits.
    static func format(_ date: Date) -> String {
        var text: [UInt8] = []
        append(date, to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// `format`, appended to a parameter buffer without intermediate strings.
    static func append(_ date: Date, to text: inout [UInt8]) {
        let microseconds = Int((date.timeIntervalSince1970 * 1_000_000).rounded())
        let (seconds, micros) = floorDivision(microseconds, 1_000_000)
        let (days, secondOfDay) = floorDivision(seconds, secondsPerDay)
        let (year, month, day) = civilDate(fromDaysSinceEpoch: days)
        if year < 0 { text.append(UInt8(ascii: "-")) }
        appendPadded(abs(year), 4, to: &text)
        text.append(UInt8(ascii: "-"))
        appendPadded(month, 2, to: &text)
        text.append(UInt8(ascii: "-"))
        appendPadded(day, 2, to: &text)
        text.append(UInt8(ascii: "T"))
        appendPadded(secondOfDay / 3600, 2, to: &text)
        text.append(UInt8(ascii: ":"))
        appendPadded(secondOfDay / 60 % 60, 2, to: &text)
        text.append(UInt8(ascii: ":"))
        appendPadded(secondOfDay % 60, 2, to: &text)
        text.append(UInt8(ascii: "."))
        appendPadded(micros, 6, to: &text)
        text.append(UInt8(ascii: "Z"))
    }

    /// Reads what the server prints for `timestamptz`, `timestamp` and `date` under
    /// `DateStyle=ISO` (`2024-05-01 12:34:56.5+00`, `2024-05-01 12:34:56`, `2024-05-01`),
    /// and the ISO 8601 form `format` writes. A missing offset means UTC. nil for anything else,
    /// including `infinity` and BC dates.
    static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    /// `parse` over UTF-8 bytes, as results hold them.
    static func parse(_ text: UnsafeRawBufferPointer) -> Date? {
        var scanner = DigitScanner(text)
        guard let year = scanner.number(digits: 4...6), scanner.skip("-"),
              let month = scanner.number(digits: 2...2), (1...12).contains(month), scanner.skip("-"),
              let day = scanner.number(digits: 2...2), (1...31).contains(day)
        else { return nil }

        var secondOfDay = 0
        var micros = 0
        var offset = 0
        if scanner.skip(" ") || scanner.skip("T") {
            guard let hour = scanner.number(digits: 2...2), hour < 24, scanner.skip(":"),
                  let minute = scanner.number(digits: 2...2), minute < 60, scanner.skip(":"),
                  let second = scanner.number(digits: 2...2), second < 60
            else { return nil }
            secondOfDay = hour * 3600 + minute * 60 + second
            if scanner.skip(".") {
                guard let fraction = scanner.numberWithLength(digits: 1...6) else { return nil }
                micros = fraction.value
                for _ in fraction.length..<6 { micros *= 10 }
            }
            if scanner.skip("Z") {
                offset = 0
            } else if let sign = scanner.sign() {
                // Offsets print as +HH, +HH:MM or, for historical zones, +HH:MM:SS.
                guard let hours = scanner.number(digits: 2...2) else { return nil }
                let minutes = scanner.skip(":") ? scanner.number(digits: 2...2) : 0
                let seconds = scanner.skip(":") ? scanner.number(digits: 2...2) : 0
                guard let minutes, let seconds else { return nil }
                offset = sign * (hours * 3600 + minutes * 60 + seconds)
            }
        }
        guard scanner.isAtEnd else { return nil }

        let days = daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * secondsPerDay + secondOfDay - offset
        return Date(timeIntervalSince1970: Double(seconds) + Double(micros) / 1_000_000)
    }

    // Howard Hinnant's days_from_civil / civil_from_days: proleptic Gregorian calendar.
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = floorDivision(shiftedYear, 400).quotient
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civilDate(fromDaysSinceEpoch days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = floorDivision(shifted, 146_097).quotient
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Division rounding toward negative infinity, so instants before 1970 split correctly.
    private static func floorDivision(_ value: Int, _ divisor: Int) -> (quotient: Int, remainder: Int) {
        let remainder = value % divisor
        return remainder < 0 ? (value / divisor - 1, remainder + divisor) : (value / divisor, remainder)
    }

    /// Decimal digits of a non-negative `value`, zero-padded to at least `width`.
    private static func appendPadded(_ value: Int, _ width: Int, to text: inout [UInt8]) {
        var divisor = 1
        var count = 1
        while value / divisor >= 10 {
            divisor *= 10
            count += 1
        }
        for _ in count..<max(width, count) { text.append(UInt8(ascii: "0")) }
        while divisor > 0 {
            text.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        }
    }
}

/// Walks ASCII text picking out fixed-width numbers and separators.
private struct DigitScanner {
    private let bytes: UnsafeRawBufferPointer
    private var position = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var isAtEnd: Bool { position == bytes.count }

    mutating func skip(_ character: Character) -> Bool {
        guard position < bytes.count, bytes[position] == character.asciiValue else { return false }
        position += 1
        return true
    }

    /// +1 or -1 after consuming a sign; nil (consuming nothing) when none is next.
    mutating func sign() -> Int? {
        if skip("+") { return 1 }
        if skip("-") { return -1 }
        return nil
    }

    mutating func number(digits allowed: ClosedRange<Int>) -> Int? {
        numberWithLength(digits: allowed)?.value
    }

    mutating func numberWithLength(digits allowed: ClosedRange<Int>) -> (value: Int, length: Int)? {
        var value = 0
        var length = 0
        while position < bytes.count, length < allowed.upperBound, (48...57).contains(bytes[position]) {
            value = value * 10 + Int(bytes[position] - 48)
            position += 1
            length += 1
        }
        return allowed.contains(length) ? (value, length) : nil
    }
}
