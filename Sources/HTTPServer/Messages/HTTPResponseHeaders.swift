/// A response's header fields, kept encoded as they go on the wire (`Name: value\r\n` each), so
/// that writing a response copies bytes instead of formatting fields, and constant fields can be
/// encoded once at start (`EncodedHeaderFields`).
public struct HTTPResponseHeaders: Sendable {
    public private(set) var encoded: [UInt8] = []

    public init() {}

    public init(_ pairs: [(String, String)]) {
        for (name, value) in pairs { add(name, value) }
    }

    /// Adds a field. A name or value holding CR, LF or NUL would let it split the response:
    /// such a field is dropped, never sent.
    public mutating func add(_ name: String, _ value: String) {
        guard EncodedHeaderFields.isSafe(name), EncodedHeaderFields.isSafe(value) else { return }
        encoded.reserveCapacity(encoded.count + name.utf8.count + value.utf8.count + 4)
        encoded.append(contentsOf: name.utf8)
        encoded.append(UInt8(ascii: ":"))
        encoded.append(UInt8(ascii: " "))
        encoded.append(contentsOf: value.utf8)
        encoded.append(UInt8(ascii: "\r"))
        encoded.append(UInt8(ascii: "\n"))
    }

    public mutating func add(_ fields: EncodedHeaderFields) {
        encoded.append(contentsOf: fields.bytes)
    }

    /// Whether a field named `name` (any case) is present; scans the encoded lines in place.
    public func contains(_ name: String) -> Bool {
        let length = name.utf8.count
        var lineStart = 0
        while lineStart < encoded.count {
            if lineStart + length < encoded.count, encoded[lineStart + length] == UInt8(ascii: ":") {
                var matches = true
                var offset = lineStart
                for byte in name.utf8 where matches {
                    matches = HTTPSyntax.lowercased(encoded[offset]) == HTTPSyntax.lowercased(byte)
                    offset += 1
                }
                if matches { return true }
            }
            while encoded[lineStart] != UInt8(ascii: "\n") { lineStart += 1 }
            lineStart += 1
        }
        return false
    }

    /// The first value of the field named `name` (any case): for tests and the rare rewrite.
    public subscript(name: String) -> String? {
        values(name).first
    }

    public func values(_ name: String) -> [String] {
        var values: [String] = []
        var lineStart = 0
        let target = Array(name.utf8).map(HTTPSyntax.lowercased)
        while lineStart < encoded.count {
            var lineEnd = lineStart
            while encoded[lineEnd] != UInt8(ascii: "\r") { lineEnd += 1 }
            let nameEnd = lineStart + target.count
            if nameEnd < lineEnd, encoded[nameEnd] == UInt8(ascii: ":"),
               encoded[lineStart..<nameEnd].map(HTTPSyntax.lowercased) == target {
                values.append(String(decoding: encoded[(nameEnd + 2)..<lineEnd], as: UTF8.self))
            }
            lineStart = lineEnd + 2
        }
        return values
    }
}

/// Header fields encoded once, at start, for responses that all carry them (security headers,
/// CORS headers for an origin, the JSON content type).
public struct EncodedHeaderFields: Sendable {
    let bytes: [UInt8]

    public init(_ pairs: [(String, String)]) {
        var headers = HTTPResponseHeaders()
        for (name, value) in pairs {
            precondition(Self.isSafe(name) && Self.isSafe(value), "header \(name) holds CR, LF or NUL")
            headers.add(name, value)
        }
        bytes = headers.encoded
    }

    static func isSafe(_ text: String) -> Bool {
        !text.utf8.contains { $0 == 13 || $0 == 10 || $0 == 0 }
    }
}
