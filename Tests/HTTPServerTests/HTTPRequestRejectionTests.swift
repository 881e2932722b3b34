import HTTPServer
import Testing

private let host = "Host: a\r\n"
private let longTarget = "/" + String(repeating: "a", count: 9000)
private let bigField = "X-Big: " + String(repeating: "b", count: 1000) + "\r\n"
private let tooManyFields = (1...100).map { "X-Field-\($0): v\r\n" }.joined()

private func post(_ fields: String, body: String = "") -> String {
    "POST / HTTP/1.1\r\n\(host)\(fields)\r\n\(body)"
}

private func chunked(_ body: String) -> String {
    post("Transfer-Encoding: chunked\r\n", body: body)
}

private func get(_ fields: String) -> String {
    "GET / HTTP/1.1\r\n\(fields)\r\n"
}

let rejectedRequests: [RejectedRequestCase] = [
    // Framing (RFC 9112 §6).
    RejectedRequestCase("Content-Length with Transfer-Encoding", post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"), 400),
    RejectedRequestCase("Transfer-Encoding with Content-Length", post("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n"), 400),
    RejectedRequestCase("two equal Content-Length fields", post("Content-Length: 5\r\nContent-Length: 5\r\n", body: "hello"), 400),
    RejectedRequestCase("Content-Length with a sign", post("Content-Length: +5\r\n", body: "hello"), 400),
    RejectedRequestCase("negative Content-Length", post("Content-Length: -5\r\n"), 400),
    RejectedRequestCase("Content-Length list", post("Content-Length: 1,1\r\n", body: "a"), 400),
    RejectedRequestCase("Content-Length with a space inside", post("Content-Length: 1 1\r\n"), 400),
    RejectedRequestCase("empty Content-Length", post("Content-Length:\r\n"), 400),
    RejectedRequestCase("hexadecimal Content-Length", post("Content-Length: 0x10\r\n"), 400),
    RejectedRequestCase("Content-Length over the body limit", post("Content-Length: 1048577\r\n"), 413),
    RejectedRequestCase("Content-Length that overflows", post("Content-Length: 99999999999999999999999999\r\n"), 413),
    // RFC 9112 §6.3: chunked not last means no reliable length: 400 and close, never 501.
    RejectedRequestCase("Transfer-Encoding gzip", post("Transfer-Encoding: gzip\r\n"), 400),
    RejectedRequestCase("Transfer-Encoding identity", post("Transfer-Encoding: identity\r\n"), 400),
    RejectedRequestCase("gzip after chunked", post("Transfer-Encoding: chunked, gzip\r\n"), 400),
    RejectedRequestCase("gzip after chunked in two fields", post("Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n"), 400),
    // RFC 9112 §6.1: a coding we do not implement, with chunked last, is 501.
    RejectedRequestCase("gzip before chunked", post("Transfer-Encoding: gzip, chunked\r\n"), 501),
    RejectedRequestCase("chunked twice in one field", post("Transfer-Encoding: chunked, chunked\r\n"), 400),
    RejectedRequestCase("chunked twice in two fields", post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"), 400),
    RejectedRequestCase("empty Transfer-Encoding", post("Transfer-Encoding: \r\n"), 400),
    RejectedRequestCase("Transfer-Encoding with a parameter", post("Transfer-Encoding: chunked;q=1\r\n"), 400),
    RejectedRequestCase("Transfer-Encoding in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),

    // Chunked body (RFC 9112 §7.1).
    RejectedRequestCase("chunk size that is not hex", chunked("zz\r\n"), 400),
    RejectedRequestCase("empty chunk size", chunked("\r\nhello\r\n"), 400),
    RejectedRequestCase("negative chunk size", chunked("-1\r\n"), 400),
    RejectedRequestCase("chunk size with 0x", chunked("0x5\r\nhello\r\n"), 400),
    RejectedRequestCase("space before the chunk size", chunked(" 5\r\nhello\r\n"), 400),
    RejectedRequestCase("chunk size of 16 hex digits", chunked("1000000000000000\r\n"), 400),
    RejectedRequestCase("chunk size that overflows", chunked("FFFFFFFFFFFFFFFFFFFFFFFF\r\n"), 400),
    RejectedRequestCase("chunk data without its CRLF", chunked("5\r\nhelloX\r\n0\r\n\r\n"), 400),
    RejectedRequestCase("chunk data followed by a bare LF", chunked("5\r\nhello\n0\r\n\r\n"), 400),
    RejectedRequestCase("bare LF after the chunk size", chunked("5\nhello\r\n0\r\n\r\n"), 400),
    RejectedRequestCase("chunk extension with nothing after the semicolon", chunked("5;\r\nhello\r\n0\r\n\r\n"), 400),
    RejectedRequestCase("chunk extension without a name", chunked("5;=1\r\nhello\r\n0\r\n\r\n"), 400),
    RejectedRequestCase("chunk extension with an empty value", chunked("5;a=\r\nhello\r\n0\r\n\r\n"), 400),
    RejectedRequestCase("chunk extension with an unterminated quote", chunked("5;a=\"x\r\nhello\r\n0\r\n\r\n"), 400),
    RejectedRequestCase("chunk extension not led by a semicolon", chunked("5 x\r\nhello\r\n0\r\n\r\n"), 400),
    RejectedRequestCase("chunked sum over the body limit", chunked("80000\r\n" + String(repeating: "x", count: 0x80000) + "\r\n80001\r\n"), 413),

    // Field lines (RFC 9112 §5, §2.2).
    RejectedRequestCase("obs-fold", get("\(host)X-A: b\r\n c\r\n"), 400),
    RejectedRequestCase("whitespace before the first field", get(" \(host)"), 400),
    RejectedRequestCase("bare LF ending the request line", "GET / HTTP/1.1\n\(host)\r\n", 400),
    RejectedRequestCase("bare LF ending a field line", get("Host: a\n"), 400),
    RejectedRequestCase("bare LF ending the head", "GET / HTTP/1.1\r\n\(host)\n", 400),
    RejectedRequestCase("bare CR inside a field value", get("\(host)X-A: a\rb\r\n"), 400),
    RejectedRequestCase("bare CR before CRLF", get("\(host)X-A: a\r\r\n"), 400),
    RejectedRequestCase("bare CR in the request line", "GET /\r HTTP/1.1\r\n\(host)\r\n", 400),
    RejectedRequestCase("NUL in a field value", get("\(host)X-A: a\0b\r\n"), 400),
    RejectedRequestCase("control character in a field value", get("\(host)X-A: a\u{1B}b\r\n"), 400),
    RejectedRequestCase("DEL in a field value", get("\(host)X-A: a\u{7F}\r\n"), 400),
    RejectedRequestCase("space before the colon", get("Host : a\r\n"), 400),
    RejectedRequestCase("tab before the colon", get("\(host)X-A\t: b\r\n"), 400),
    RejectedRequestCase("empty field name", get("\(host): b\r\n"), 400),
    RejectedRequestCase("field line without a colon", get("\(host)X-A\r\n"), 400),
    RejectedRequestCase("field name with a separator", get("\(host)X(A): b\r\n"), 400),

    // Host (RFC 9112 §3.2).
    RejectedRequestCase("HTTP/1.1 without Host", get(""), 400),
    RejectedRequestCase("two Host fields", get("Host: a\r\nHost: a\r\n"), 400),
    RejectedRequestCase("Host with a slash", get("Host: a/b\r\n"), 400),
    RejectedRequestCase("Host with userinfo", get("Host: user@a\r\n"), 400),

    // Limits.
    RejectedRequestCase("request line over the limit, incomplete", "GET \(longTarget)", 414),
    RejectedRequestCase("request line over the limit, complete", "GET \(longTarget) HTTP/1.1\r\n\(host)\r\n", 414),
    RejectedRequestCase("header section over the limit, incomplete", "GET / HTTP/1.1\r\n\(host)" + String(repeating: bigField, count: 17), 431),
    RejectedRequestCase("header section over the limit, complete", get(host + String(repeating: bigField, count: 17)), 431),
    // Found by the HTTPRequestParser fuzz target: the limit was checked only on complete lines
    // or on incomplete ones, so a bare LF past it was 400 whole and 414/431 byte by byte (the
    // ChunkedBodyDecoder target found the same in trailers).
    RejectedRequestCase("request line over the limit, ended by a bare LF", "GET \(longTarget) HTTP/1.1\n\n", 414),
    RejectedRequestCase("header section over the limit, ended by a bare LF", "GET / HTTP/1.1\r\nX: \(String(repeating: "b", count: 17000))\n\r\n", 431),
    RejectedRequestCase("trailer section over the limit, ended by a bare LF", chunked("0\r\nX: \(String(repeating: "b", count: 17000))\n\r\n"), 431),
    RejectedRequestCase("too many header fields, incomplete", "GET / HTTP/1.1\r\n\(host)\(tooManyFields)", 431),

    // Request line (RFC 9112 §3).
    RejectedRequestCase("HTTP/2.0", "GET / HTTP/2.0\r\n\(host)\r\n", 505),
    RejectedRequestCase("HTTP/0.9 version", "GET / HTTP/0.9\r\n\(host)\r\n", 505),
    RejectedRequestCase("garbage version", "GET / FOO/1.1\r\n\(host)\r\n", 400),
    RejectedRequestCase("lowercase http version", "GET / http/1.1\r\n\(host)\r\n", 400),
    RejectedRequestCase("two-digit version", "GET / HTTP/1.10\r\n\(host)\r\n", 400),
    RejectedRequestCase("missing version", "GET /\r\n\(host)\r\n", 400),
    RejectedRequestCase("space after the version", "GET / HTTP/1.1 \r\n\(host)\r\n", 400),
    RejectedRequestCase("two spaces after the method", "GET  / HTTP/1.1\r\n\(host)\r\n", 400),
    RejectedRequestCase("tab after the method", "GET\t/ HTTP/1.1\r\n\(host)\r\n", 400),
    RejectedRequestCase("method with a separator", "GE(T / HTTP/1.1\r\n\(host)\r\n", 400),
    RejectedRequestCase("method with a non-ASCII byte", "G\u{C9}T / HTTP/1.1\r\n\(host)\r\n", 400),
    RejectedRequestCase("empty method", " / HTTP/1.1\r\n\(host)\r\n", 400),
    RejectedRequestCase("target without a leading slash", "GET foo HTTP/1.1\r\n\(host)\r\n", 400),
    RejectedRequestCase("authority-form target", "GET a.example:80 HTTP/1.1\r\n\(host)\r\n", 400),
    RejectedRequestCase("absolute-form with another scheme", "GET ftp://a/ HTTP/1.1\r\n\(host)\r\n", 400),
    RejectedRequestCase("absolute-form without an authority", "GET http:///a HTTP/1.1\r\n\(host)\r\n", 400),
    RejectedRequestCase("asterisk target for GET", "GET * HTTP/1.1\r\n\(host)\r\n", 400),
    RejectedRequestCase("control character in the target", "GET /a\u{1}b HTTP/1.1\r\n\(host)\r\n", 400),
    RejectedRequestCase("DEL in the target", "GET /a\u{7F} HTTP/1.1\r\n\(host)\r\n", 400),
    RejectedRequestCase("non-ASCII byte in the target", "GET /caf\u{E9} HTTP/1.1\r\n\(host)\r\n", 400),
    RejectedRequestCase("a space inside the target", "GET /a b HTTP/1.1\r\n\(host)\r\n", 400),

    // Expect (RFC 9110 §10.1.1).
    RejectedRequestCase("an expectation other than 100-continue", post("Expect: something\r\nContent-Length: 1\r\n", body: "x"), 417),
]

@Suite("HTTPRequestParser rejections")
struct HTTPRequestRejectionTests {
    @Test(arguments: rejectedRequests)
    func rejectionAnswersItsStatusAndStops(_ rejected: RejectedRequestCase) {
        var parser = HTTPRequestParser()
        let events = parser.feed(rejected.bytes)
        #expect(events.count == 1)
        #expect(events.failureStatuses == [rejected.status])
        #expect(parser.next() == nil)
    }

    @Test(arguments: rejectedRequests)
    func rejectionOneByteAtATimeAnswersTheSameStatus(_ rejected: RejectedRequestCase) {
        let events = HTTPRequestParser.eventsByteByByte(of: rejected.bytes)
        #expect(events.count == 1)
        #expect(events.failureStatuses == [rejected.status])
    }
}
