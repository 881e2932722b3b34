/// Writes a response's head and body into one buffer, so it leaves in one `send`.
enum HTTPResponseEncoder {
    static func encode(_ response: HTTPResponse, bodyOmitted: Bool, closing: Bool, keepAliveHeader: Bool,
                       date: [UInt8], into buffer: inout [UInt8]) {
        let status = response.status
        buffer.reserveCapacity(buffer.count + 128 + response.headers.encoded.count + date.count + response.body.count)
        buffer.append(contentsOf: httpVersion)
        appendDecimal(status.code, to: &buffer)
        buffer.append(UInt8(ascii: " "))
        buffer.append(contentsOf: status.reasonPhrase.utf8)
        buffer.append(contentsOf: crlf)
        buffer.append(contentsOf: response.headers.encoded)
        if status.allowsBody {
            buffer.append(contentsOf: contentLength)
            appendDecimal(response.body.count, to: &buffer)
            buffer.append(contentsOf: crlf)
        }
        buffer.append(contentsOf: date)
        if closing {
            buffer.append(contentsOf: connectionClose)
        } else if keepAliveHeader {
            buffer.append(contentsOf: connectionKeepAlive)
        }
        buffer.append(contentsOf: crlf)
        if status.allowsBody && !bodyOmitted {
            buffer.append(contentsOf: response.body)
        }
    }

    static let continueResponse = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    private static let httpVersion = Array("HTTP/1.1 ".utf8)
    private static let crlf = Array("\r\n".utf8)
    private static let contentLength = Array("Content-Length: ".utf8)
    private static let connectionClose = Array("Connection: close\r\n".utf8)
    private static let connectionKeepAlive = Array("Connection: keep-alive\r\n".utf8)

    private static func appendDecimal(_ value: Int, to buffer: inout [UInt8]) {
        var magnitude = value
        var digits: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &digits) { scratch in
            var index = scratch.count
            repeat {
                index -= 1
                scratch[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            buffer.append(contentsOf: scratch[index...])
        }
    }
}
