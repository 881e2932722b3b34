/// A request's header fields in the order received; name lookups ignore ASCII case (RFC 9110
/// §5.1). Repeated names are kept as separate fields, never folded together, so that callers can
/// see (and reject) duplicates.
///
/// The parser appends names and values as bytes into one buffer; a value becomes a `String` only
/// when asked for, so a request's dozen headers cost two allocations, not two dozen.
public struct HTTPHeaders: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    public typealias Element = (name: String, value: String)

    private struct Field: Sendable, Equatable {
        let nameStart: Int32
        let valueStart: Int32
        let valueEnd: Int32
    }

    private var storage: [UInt8] = []
    private var fields: [Field] = []

    public init() {}

    public init(_ pairs: [(String, String)]) {
        for (name, value) in pairs { add(name: name, value: value) }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    init(reservingFields count: Int, bytes: Int) {
        fields.reserveCapacity(count)
        storage.reserveCapacity(bytes)
    }

    public var count: Int { fields.count }

    /// The first value of the field named `name`.
    public subscript(name: String) -> String? {
        firstIndex(of: name).map { value(at: $0) }
    }

    /// Every value of the field named `name`, in order.
    public func values(_ name: String) -> [String] {
        fields.indices.filter { nameMatches($0, name) }.map(value(at:))
    }

    public func contains(_ name: String) -> Bool {
        firstIndex(of: name) != nil
    }

    /// The first value of `name` as raw bytes, for parsing without making a `String`; nil in the
    /// closure when there is none.
    public func withValue<Result>(of name: String, _ body: (UnsafeBufferPointer<UInt8>?) throws -> Result) rethrows -> Result {
        guard let index = firstIndex(of: name) else { return try body(nil) }
        let field = fields[index]
        return try storage.withUnsafeBufferPointer { bytes in
            try body(UnsafeBufferPointer(rebasing: bytes[Int(field.valueStart)..<Int(field.valueEnd)]))
        }
    }

    public mutating func add(name: String, value: String) {
        add(name: Array(name.utf8), value: Array(value.utf8))
    }

    mutating func add<Name: Collection<UInt8>, Value: Collection<UInt8>>(name: Name, value: Value) {
        let nameStart = Int32(storage.count)
        storage.append(contentsOf: name)
        let valueStart = Int32(storage.count)
        storage.append(contentsOf: value)
        fields.append(Field(nameStart: nameStart, valueStart: valueStart, valueEnd: Int32(storage.count)))
    }

    public func makeIterator() -> AnyIterator<Element> {
        var index = 0
        return AnyIterator {
            guard index < fields.count else { return nil }
            defer { index += 1 }
            return (name(at: index), value(at: index))
        }
    }

    /// Same fields in the same order, names and values compared exactly.
    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.count == rhs.count && zip(lhs, rhs).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    private func firstIndex(of name: String) -> Int? {
        fields.indices.first { nameMatches($0, name) }
    }

    private func nameMatches(_ index: Int, _ name: String) -> Bool {
        let field = fields[index]
        let length = Int(field.valueStart - field.nameStart)
        guard length == name.utf8.count else { return false }
        let start = Int(field.nameStart)
        var offset = 0
        for byte in name.utf8 {
            guard HTTPSyntax.lowercased(storage[start + offset]) == HTTPSyntax.lowercased(byte) else { return false }
            offset += 1
        }
        return true
    }

    private func name(at index: Int) -> String {
        let field = fields[index]
        return String(decoding: storage[Int(field.nameStart)..<Int(field.valueStart)], as: UTF8.self)
    }

    private func value(at index: Int) -> String {
        let field = fields[index]
        return String(decoding: storage[Int(field.valueStart)..<Int(field.valueEnd)], as: UTF8.self)
    }
}
