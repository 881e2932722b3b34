import FoundationEssentials
import HTTPServer
import JSON

/// A value that writes itself as JSON, member by member: what every response body is. Writing
/// by hand (rather than through `Encodable`) keeps reflection and dynamic casts off the request
/// path and spells the contract's shape out where a reader can see it.
protocol JSONWritable {
    func write(to json: inout JSONWriter)
}

extension HTTPResponse {
    static let jsonContentType = EncodedHeaderFields([("Content-Type", "application/json; charset=utf-8")])

    static func json(_ value: some JSONWritable, status: HTTPStatus = .ok) -> HTTPResponse {
        var json = JSONWriter()
        value.write(to: &json)
        var response = HTTPResponse(status: status, body: json.bytes)
        response.headers.add(jsonContentType)
        return response
    }
}

extension JSONWriter {
    /// Times as ISO 8601 UTC strings with milliseconds; nil as null.
    mutating func member(_ name: String, _ date: Date?) {
        self.name(name)
        guard let date else { return null() }
        rawValue { bytes in
            bytes.append(UInt8(ascii: "\""))
            ISO8601Timestamp.append(date, to: &bytes)
            bytes.append(UInt8(ascii: "\""))
        }
    }

    /// A list of writable values as an array member.
    mutating func member(_ name: String, _ items: [some JSONWritable]) {
        self.name(name)
        beginArray()
        for item in items { item.write(to: &self) }
        endArray()
    }
}
