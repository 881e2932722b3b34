import HTTPServer

/// The cookies of a request's `Cookie` header (RFC 6265 §4.2.1: `name=value` pairs joined by
/// "; "), read by the handlers that need one.
struct Cookies {
    private var values: [String: String] = [:]

    init(_ request: HTTPRequest) {
        self.init(headers: request.headers.values("Cookie"))
    }

    /// The first occurrence of a name wins, as browsers send the most specific cookie first.
    init(headers: [String]) {
        for header in headers {
            for pair in header.split(separator: ";") {
                guard let equals = pair.firstIndex(of: "=") else { continue }
                let name = pair[..<equals].trimmingBlanks()
                var value = pair[pair.index(after: equals)...].trimmingBlanks()
                if value.utf8.count >= 2 && value.hasPrefix("\"") && value.hasSuffix("\"") {
                    value = String(value.dropFirst().dropLast())
                }
                if !name.isEmpty && values[name] == nil {
                    values[name] = value
                }
            }
        }
    }

    subscript(name: String) -> String? {
        values[name].flatMap { $0.isEmpty ? nil : $0 }
    }
}
