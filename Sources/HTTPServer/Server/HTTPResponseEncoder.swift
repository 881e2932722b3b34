/// Writes a response's head and body into one buffer, so it leaves in one `send`.
enum HTTPResponseEncoder {
    static func encode(_ response: HTTPResponse, bodyOmitted: Bool, closing: Bool, keepAliveHeader: Bool,
                       date: String, into buffer: inout [UInt8]) {
        buffer.reserveCapacity(buffer.count + 256 + response.body.count)
        buffer.append(contentsOf: "HTTP/1.1 \(response.status.code) \(response.status.reasonPhrase)\r\n".utf8)
        for (name, value) in response.headers where isSafe(name) && isSafe(value) {
            buffer.append(contentsOf: name.utf8)
            buffer.append(contentsOf: ": ".utf8)
            buffer.append(contentsOf: value.utf8)
            buffer.append(contentsOf: "\r\n".utf8)
        }
        if response.status.allowsBody {
            buffer.append(contentsOf: "Content-Length: \(response.body.count)\r\n".utf8)
        }
        buffer.append(contentsOf: "Date: ".utf8)
        buffer.append(contentsOf: date.utf8)
        if closing {
            buffer.append(contentsOf: "\r\nConnection: close".utf8)
        } else if keepAliveHeader {
            buffer.append(contentsOf: "\r\nConnection: keep-alive".utf8)
        }
        buffer.append(contentsOf: "\r\n\r\n".utf8)
        if response.status.allowsBody && !bodyOmitted {
            buffer.append(contentsOf: response.body)
        }
    }

    static let continueResponse = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// A header carrying CR, LF or NUL would let a value split the response: never sent.
    private static func isSafe(_ text: String) -> Bool {
        !text.utf8.contains { $0 == 13 || $0 == 10 || $0 == 0 }
    }
}
