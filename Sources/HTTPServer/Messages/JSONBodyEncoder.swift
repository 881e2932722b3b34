import Foundation

/// Encodes an `Encodable` straight into JSON bytes, in the order the value encodes its keys.
/// Foundation's `JSONEncoder` first builds a tree of boxed values and then serializes it, which
/// cost a third of the CPU of a small authenticated request; this writes as it goes.
///
/// Containers stay open until something is written at a shallower depth or the value is done,
/// since `Encoder` never says when a container is finished. Dates are ISO 8601 strings.
enum JSONBodyEncoder {
    struct InvalidValue: Error {}

    static func encode<Value: Encodable>(_ value: Value) throws -> [UInt8] {
        let writer = JSONByteWriter()
        try writer.encodeValue(value, depth: 0)
        writer.closeContainers(deeperThan: 0)
        return writer.bytes
    }
}

/// The output and the stack of open containers.
final class JSONByteWriter {
    private(set) var bytes: [UInt8] = []
    /// For each open container: its closing byte and whether it has an element yet.
    private var open: [(closer: UInt8, hasElements: Bool)] = []

    init() {
        bytes.reserveCapacity(512)
    }

    func openContainer(_ opener: UInt8, _ closer: UInt8, depth: Int) {
        closeContainers(deeperThan: depth - 1)
        bytes.append(opener)
        open.append((closer, false))
    }

    func closeContainers(deeperThan depth: Int) {
        while open.count > depth {
            bytes.append(open.removeLast().closer)
        }
    }

    /// Starts an element of the container at `depth`, with its key in an object.
    func beginElement(depth: Int, key: String?) {
        closeContainers(deeperThan: depth)
        if open[depth - 1].hasElements {
            bytes.append(UInt8(ascii: ","))
        }
        open[depth - 1].hasElements = true
        if let key {
            string(key)
            bytes.append(UInt8(ascii: ":"))
        }
    }

    func encodeValue<Value: Encodable>(_ value: Value, depth: Int) throws {
        switch value {
        case let text as String: string(text)
        case let date as Date: string(ISO8601Timestamp.string(from: date))
        case let flag as Bool: raw(flag ? "true" : "false")
        case let number as Int: raw(String(number))
        case let number as any BinaryInteger: raw(String(describing: number))
        case let number as any BinaryFloatingPoint:
            let number = Double(number)
            guard number.isFinite else { throw JSONBodyEncoder.InvalidValue() }
            raw(number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number))
        default:
            let before = bytes.count
            try value.encode(to: StreamingEncoder(writer: self, depth: depth))
            if bytes.count == before {
                raw("{}")
            }
        }
    }

    func raw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// RFC 8259 §7: quotes, backslashes and control characters are escaped; the rest is UTF-8 as is.
    func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

private struct StreamingEncoder: Encoder {
    let writer: JSONByteWriter
    let depth: Int
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        writer.openContainer(UInt8(ascii: "{"), UInt8(ascii: "}"), depth: depth + 1)
        return KeyedEncodingContainer(KeyedContainer<Key>(writer: writer, depth: depth + 1))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        writer.openContainer(UInt8(ascii: "["), UInt8(ascii: "]"), depth: depth + 1)
        return UnkeyedContainer(writer: writer, depth: depth + 1)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueContainer(writer: writer, depth: depth)
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let writer: JSONByteWriter
    let depth: Int
    var codingPath: [any CodingKey] = []

    mutating func encodeNil(forKey key: Key) throws {
        writer.beginElement(depth: depth, key: key.stringValue)
        writer.raw("null")
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        writer.beginElement(depth: depth, key: key.stringValue)
        try writer.encodeValue(value, depth: depth)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        writer.beginElement(depth: depth, key: key.stringValue)
        return StreamingEncoder(writer: writer, depth: depth).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        writer.beginElement(depth: depth, key: key.stringValue)
        return StreamingEncoder(writer: writer, depth: depth).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        superEncoder(forKey: Key(stringValue: "super")!)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        writer.beginElement(depth: depth, key: key.stringValue)
        return StreamingEncoder(writer: writer, depth: depth)
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let writer: JSONByteWriter
    let depth: Int
    var codingPath: [any CodingKey] = []
    private(set) var count = 0

    init(writer: JSONByteWriter, depth: Int) {
        self.writer = writer
        self.depth = depth
    }

    mutating func encodeNil() throws {
        writer.beginElement(depth: depth, key: nil)
        writer.raw("null")
        count += 1
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        writer.beginElement(depth: depth, key: nil)
        try writer.encodeValue(value, depth: depth)
        count += 1
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        writer.beginElement(depth: depth, key: nil)
        count += 1
        return StreamingEncoder(writer: writer, depth: depth).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        writer.beginElement(depth: depth, key: nil)
        count += 1
        return StreamingEncoder(writer: writer, depth: depth).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        writer.beginElement(depth: depth, key: nil)
        count += 1
        return StreamingEncoder(writer: writer, depth: depth)
    }
}

private struct SingleValueContainer: SingleValueEncodingContainer {
    let writer: JSONByteWriter
    let depth: Int
    var codingPath: [any CodingKey] = []

    mutating func encodeNil() throws {
        writer.raw("null")
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try writer.encodeValue(value, depth: depth)
    }
}
