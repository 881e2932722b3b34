/// Writes JSON (RFC 8259) straight into UTF-8 bytes, in the order the caller writes members:
/// token claims, JWKs, response bodies. No intermediate tree, no reflection.
///
/// ```swift
/// var json = JSONWriter()
/// json.beginObject()
/// json.member("success", true)
/// json.member("company", user.company)   // nil is written as null
/// json.endObject()
/// ```
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// Bit n is set when the container at depth n already holds an element (up to 64 levels).
    private var nonEmpty: UInt64 = 0
    private var depth = 0
    /// A member name was just written: the next value belongs to it and needs no comma.
    private var afterName = false

    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    public mutating func beginObject() {
        beginValue()
        open(UInt8(ascii: "{"))
    }

    public mutating func endObject() {
        close(UInt8(ascii: "}"))
    }

    public mutating func beginArray() {
        beginValue()
        open(UInt8(ascii: "["))
    }

    public mutating func endArray() {
        close(UInt8(ascii: "]"))
    }

    /// Writes a member name; the next value written is its value.
    public mutating func name(_ name: String) {
        beginValue()
        appendString(name)
        bytes.append(UInt8(ascii: ":"))
        afterName = true
    }

    public mutating func value(_ value: String) {
        beginValue()
        appendString(value)
    }

    public mutating func value(_ value: Int) {
        beginValue()
        appendInteger(value)
    }

    public mutating func value(_ value: Bool) {
        beginValue()
        bytes.append(contentsOf: value ? Self.trueBytes : Self.falseBytes)
    }

    /// Integral values print without a fraction; NaN and infinities, which JSON cannot hold, as null.
    public mutating func value(_ value: Double) {
        beginValue()
        if !value.isFinite {
            bytes.append(contentsOf: Self.nullBytes)
        } else if value == value.rounded(), abs(value) < 1e15 {
            appendInteger(Int(value))
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
    }

    public mutating func null() {
        beginValue()
        bytes.append(contentsOf: Self.nullBytes)
    }

    /// Bytes that already are one complete JSON value (a pre-encoded fragment).
    public mutating func raw(_ json: [UInt8]) {
        beginValue()
        bytes.append(contentsOf: json)
    }

    /// One complete JSON value that `write` appends straight into the output, for values with a
    /// fixed form that their owner formats faster than a `String` would (timestamps).
    public mutating func rawValue(_ write: (inout [UInt8]) -> Void) {
        beginValue()
        write(&bytes)
    }

    public mutating func member(_ name: String, _ value: String) {
        self.name(name)
        self.value(value)
    }

    public mutating func member(_ name: String, _ value: Int) {
        self.name(name)
        self.value(value)
    }

    public mutating func member(_ name: String, _ value: Bool) {
        self.name(name)
        self.value(value)
    }

    public mutating func member(_ name: String, _ value: Double) {
        self.name(name)
        self.value(value)
    }

    /// An absent value is written as `null`, not left out.
    public mutating func member(_ name: String, _ value: String?) {
        self.name(name)
        if let value { self.value(value) } else { null() }
    }

    public mutating func member(_ name: String, _ value: Int?) {
        self.name(name)
        if let value { self.value(value) } else { null() }
    }

    public mutating func member(_ name: String, _ values: [String]) {
        self.name(name)
        beginArray()
        for value in values { self.value(value) }
        endArray()
    }

    // MARK: Framing

    private static let trueBytes = Array("true".utf8)
    private static let falseBytes = Array("false".utf8)
    private static let nullBytes = Array("null".utf8)
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A comma before every element of a container but its first; none after a member name.
    private mutating func beginValue() {
        if afterName {
            afterName = false
            return
        }
        guard depth > 0 else { return }
        let bit: UInt64 = 1 << UInt64(depth & 63)
        if nonEmpty & bit != 0 {
            bytes.append(UInt8(ascii: ","))
        } else {
            nonEmpty |= bit
        }
    }

    private mutating func open(_ opener: UInt8) {
        bytes.append(opener)
        depth += 1
        nonEmpty &= ~(1 << UInt64(depth & 63))
    }

    private mutating func close(_ closer: UInt8) {
        precondition(depth > 0 && !afterName, "JSONWriter: unbalanced container")
        bytes.append(closer)
        depth -= 1
    }

    private mutating func appendInteger(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        // Digits fill the buffer from its end; 24 bytes hold any 64-bit magnitude.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var index = buffer.count
            repeat {
                index -= 1
                buffer[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            bytes.append(contentsOf: buffer[index...])
        }
    }

    /// RFC 8259 §7: escapes the quote, the backslash and control characters; other UTF-8 passes as is.
    private mutating func appendString(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in
            var runStart = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                runStart = index + 1
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), byte])
                case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                default:
                    bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                              Self.hexDigits[Int(byte >> 4)], Self.hexDigits[Int(byte & 0x0F)]])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
