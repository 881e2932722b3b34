import HTTPServer

/// The cookies of a request's `Cookie` header (RFC 6265 §4.2.1: `name=value` pairs joined by
/// "; "), read by the handlers that need one.
package struct Cookies: Equatable {
    private var values: [String: String] = [:]

    init(_ request: HTTPRequest) {
        self.init(headers: request.headers.values("Cookie"))
    }

    /// The first occurrence of a name wins, as browsers send the most specific cookie first.
    /// Split on the bytes `;` and `=`, not on Characters: a `;` after a combining or prepended
    /// mark is part of one grapheme cluster, yet still ends the pair for every other parser.
    package init(headers: [String]) {
        let quote = UInt8(ascii: "\"")
        for header in headers {
            for pair in header.utf8.split(separator: UInt8(ascii: ";")) {
                guard let equals = pair.firstIndex(of: UInt8(ascii: "=")) else { continue }
                let name = Substring(pair[..<equals]).trimmingBlanks()
                var value = Substring(pair[pair.index(after: equals)...]).trimmingBlanks()
                if value.utf8.count >= 2 && value.utf8.first == quote && value.utf8.last == quote {
                    value = String(Substring(value.utf8.dropFirst().dropLast()))
                }
                if !name.isEmpty && values[name] == nil {
                    values[name] = value
                }
            }
        }
    }

    package subscript(name: String) -> String? {
        values[name].flatMap { $0.isEmpty ? nil : $0 }
    }
}
