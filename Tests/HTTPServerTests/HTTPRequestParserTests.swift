import HTTPServer
import Testing

/// A request the parser must accept, and exactly what it must produce.
struct ValidRequestCase: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: [UInt8]
    let expected: HTTPRequest

    init(_ name: String, _ text: String, _ expected: HTTPRequest) {
        self.init(name, Array(text.utf8), expected)
    }

    init(_ name: String, _ bytes: [UInt8], _ expected: HTTPRequest) {
        self.name = name
        self.bytes = bytes
        self.expected = expected
    }

    var testDescription: String { name }
}

/// A request the parser must refuse, and the status it must answer.
struct RejectedRequestCase: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: [UInt8]
    let status: Int

    init(_ name: String, _ text: String, _ status: Int) {
        self.init(name, Array(text.utf8), status)
    }

    init(_ name: String, _ bytes: [UInt8], _ status: Int) {
        self.name = name
        self.bytes = bytes
        self.status = status
    }

    var testDescription: String { name }
}

private let manyHeaderFields = (1...99).map { "X-Field-\($0): value \($0)\r\n" }.joined()
private let loginBody = #"{"email":"a@b.co","password":"secret"}"#

let validRequests: [ValidRequestCase] = [
    ValidRequestCase(
        "simple GET",
        "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n",
        HTTPRequest(method: .GET, target: "/", headers: ["Host": "example.com"])
    ),
    ValidRequestCase(
        "GET with query and Connection: close",
        "GET /api/users?id=7&q=%20x HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n",
        HTTPRequest(
            method: .GET, target: "/api/users?id=7&q=%20x",
            headers: ["Host": "example.com", "Connection": "close"], keepAlive: false
        )
    ),
    ValidRequestCase(
        "POST with Content-Length body",
        "POST /api/auth/login HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(loginBody.utf8.count)\r\n\r\n\(loginBody)",
        HTTPRequest(
            method: .POST, target: "/api/auth/login",
            headers: ["Host": "a", "Content-Type": "application/json", "Content-Length": "\(loginBody.utf8.count)"],
            body: Array(loginBody.utf8)
        )
    ),
    ValidRequestCase(
        "chunked POST with extensions and trailers",
        "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=value\r\nhello\r\n"
            + "6 ; q=\"a b\";flag\r\n world\r\n"
            + "0\r\nChecksum: abc\r\nX-Trailer: 1\r\n\r\n",
        HTTPRequest(
            method: .POST, target: "/upload",
            headers: ["Host": "a", "Transfer-Encoding": "chunked"], body: Array("hello world".utf8)
        )
    ),
    ValidRequestCase(
        "HTTP/1.0 without keep-alive closes",
        "GET /legacy HTTP/1.0\r\nUser-Agent: old\r\n\r\n",
        HTTPRequest(method: .GET, target: "/legacy", version: .http1_0, headers: ["User-Agent": "old"], keepAlive: false)
    ),
    ValidRequestCase(
        "HTTP/1.0 with keep-alive stays open",
        "GET /legacy HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n",
        HTTPRequest(method: .GET, target: "/legacy", version: .http1_0, headers: ["Connection": "Keep-Alive"])
    ),
    ValidRequestCase(
        "OPTIONS *",
        "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
        HTTPRequest(method: .OPTIONS, target: "*", headers: ["Host": "a"])
    ),
    ValidRequestCase(
        "as many header fields as the limit allows",
        "GET /many HTTP/1.1\r\nHost: a\r\n\(manyHeaderFields)\r\n",
        HTTPRequest(
            method: .GET, target: "/many",
            headers: HTTPHeaders([("Host", "a")] + (1...99).map { ("X-Field-\($0)", "value \($0)") })
        )
    ),
    ValidRequestCase(
        "UTF-8 and invalid obs-text in header values",
        Array("GET / HTTP/1.1\r\nHost: a\r\nX-Name: caf\u{E9}\r\nX-Latin1: ".utf8) + [0xE9] + Array("\r\n\r\n".utf8),
        HTTPRequest(method: .GET, target: "/", headers: ["Host": "a", "X-Name": "caf\u{E9}", "X-Latin1": "\u{FFFD}"])
    ),
    ValidRequestCase(
        "leading empty lines are skipped",
        "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
        HTTPRequest(method: .GET, target: "/", headers: ["Host": "a"])
    ),
    ValidRequestCase(
        "OWS around values is trimmed and empty values kept",
        "GET / HTTP/1.1\r\nHost:a\r\nX-Padded: \t spaced  out \t\r\nX-Empty:\r\nX-Blank:   \r\n\r\n",
        HTTPRequest(method: .GET, target: "/", headers: ["Host": "a", "X-Padded": "spaced  out", "X-Empty": "", "X-Blank": ""])
    ),
    ValidRequestCase(
        "unknown method and empty Host pass through",
        "PROPFIND /dav HTTP/1.1\r\nHost:\r\n\r\n",
        HTTPRequest(method: HTTPMethod(rawValue: "PROPFIND"), target: "/dav", headers: ["Host": ""])
    ),
    ValidRequestCase(
        "a higher HTTP/1 minor version is handled as HTTP/1.1",
        "GET / HTTP/1.2\r\nHost: a\r\n\r\n",
        HTTPRequest(method: .GET, target: "/", headers: ["Host": "a"])
    ),
    ValidRequestCase(
        "close among several Connection options, any case",
        "DELETE /api/auth/sessions/1 HTTP/1.1\r\nhost: [::1]:8080\r\nconnection: Upgrade, CLOSE\r\n\r\n",
        HTTPRequest(
            method: .DELETE, target: "/api/auth/sessions/1",
            headers: ["host": "[::1]:8080", "connection": "Upgrade, CLOSE"], keepAlive: false
        )
    ),
    ValidRequestCase(
        "absolute-form target, served by its path and query (RFC 9112 §3.2.2)",
        "GET http://api.example.com:8080/api/auth/me?x=1 HTTP/1.1\r\nHost: other\r\n\r\n",
        HTTPRequest(method: .GET, target: "/api/auth/me?x=1", headers: ["Host": "other"])
    ),
    ValidRequestCase(
        "absolute-form with an empty path means /",
        "OPTIONS HTTPS://api.example.com HTTP/1.1\r\nHost: api.example.com\r\n\r\n",
        HTTPRequest(method: .OPTIONS, target: "/", headers: ["Host": "api.example.com"])
    ),
    ValidRequestCase(
        "Content-Length zero with leading zeros",
        "POST /api/auth/refresh HTTP/1.1\r\nHost: a\r\nContent-Length: 000\r\n\r\n",
        HTTPRequest(method: .POST, target: "/api/auth/refresh", headers: ["Host": "a", "Content-Length": "000"])
    ),
]

@Suite("HTTPRequestParser")
struct HTTPRequestParserTests {
    @Test(arguments: validRequests)
    func everyPrefixNeedsMoreAndTheWholeRequestParses(_ valid: ValidRequestCase) {
        for length in 0..<valid.bytes.count {
            var parser = HTTPRequestParser()
            let events = parser.feed(Array(valid.bytes[..<length]))
            #expect(events.isEmpty, "prefix of \(length) bytes")
        }
        var parser = HTTPRequestParser()
        #expect(parser.feed(valid.bytes) == [.request(valid.expected)])
        #expect(parser.next() == nil)
        #expect(parser.bufferedByteCount == 0)
    }

    @Test(arguments: validRequests)
    func oneByteAtATimeGivesTheSameRequest(_ valid: ValidRequestCase) {
        #expect(HTTPRequestParser.eventsByteByByte(of: valid.bytes) == [.request(valid.expected)])
    }

    @Test(arguments: validRequests)
    func randomSplitsGiveTheSameRequest(_ valid: ValidRequestCase) {
        for seed in UInt64(1)...20 {
            var generator = SeededRandomNumberGenerator(seed: seed)
            let cutCount = Int.random(in: 1...8, using: &generator)
            let cuts = (0..<cutCount).map { _ in Int.random(in: 0...valid.bytes.count, using: &generator) }.sorted()
            #expect(HTTPRequestParser.events(of: valid.bytes, cutAt: cuts) == [.request(valid.expected)], "seed \(seed)")
        }
    }

    @Test(arguments: [
        ("/", "/", nil),
        ("/a/b?", "/a/b", ""),
        ("/search?q=1&r=2", "/search", "q=1&r=2"),
        ("/x?a?b", "/x", "a?b"),
        ("/%7Euser", "/%7Euser", nil),
    ] as [(String, String, String?)])
    func targetSplitsIntoPathAndQuery(target: String, path: String, query: String?) throws {
        var parser = HTTPRequestParser()
        let events = parser.feed("GET \(target) HTTP/1.1\r\nHost: a\r\n\r\n")
        guard case .request(let request) = try #require(events.first) else {
            Issue.record("expected a request, got \(events)")
            return
        }
        #expect(request.target == target)
        #expect(request.path == path)
        #expect(request.query == query)
    }

    @Test func threePipelinedRequestsInOneAppendComeOutInOrder() {
        let stream = "GET /first HTTP/1.1\r\nHost: a\r\n\r\n"
            + "POST /second HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
            + "POST /third HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n0\r\n\r\n"
        var parser = HTTPRequestParser()
        #expect(parser.feed(stream) == [
            .request(HTTPRequest(method: .GET, target: "/first", headers: ["Host": "a"])),
            .request(HTTPRequest(
                method: .POST, target: "/second", headers: ["Host": "a", "Content-Length": "3"], body: Array("abc".utf8)
            )),
            .request(HTTPRequest(
                method: .POST, target: "/third", headers: ["Host": "a", "Transfer-Encoding": "chunked"], body: Array("de".utf8)
            )),
        ])
        #expect(parser.bufferedByteCount == 0)
    }

    @Test func requestFollowedByAPartialOneWaitsForTheRest() {
        var parser = HTTPRequestParser()
        let first = parser.feed("GET /first HTTP/1.1\r\nHost: a\r\n\r\nGET /sec")
        #expect(first == [.request(HTTPRequest(method: .GET, target: "/first", headers: ["Host": "a"]))])
        #expect(parser.bufferedByteCount == 8)
        #expect(parser.progress == .readingHead)
        let second = parser.feed("ond HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(second == [.request(HTTPRequest(method: .GET, target: "/second", headers: ["Host": "a"]))])
        #expect(parser.progress == .awaitingRequest)
    }

    @Test func progressFollowsTheRequest() {
        var parser = HTTPRequestParser()
        #expect(parser.progress == .awaitingRequest)
        _ = parser.feed("\r\n")
        #expect(parser.progress == .awaitingRequest)
        _ = parser.feed("POST / HTTP/1.1\r\nHost: a\r\n")
        #expect(parser.progress == .readingHead)
        _ = parser.feed("Content-Length: 2\r\n\r\n")
        #expect(parser.progress == .readingBody)
        _ = parser.feed("hi")
        #expect(parser.progress == .awaitingRequest)
    }

    @Test func requestLineAtTheLimitIsAcceptedAndOneByteMoreIs414() {
        let limits = HTTPLimits(maxRequestLineBytes: 64)
        let fitting = "GET /" + String(repeating: "a", count: 64 - "GET / HTTP/1.1".count) + " HTTP/1.1"
        #expect(fitting.utf8.count == 64)
        var accepting = HTTPRequestParser(limits: limits)
        #expect(accepting.feed(fitting + "\r\nHost: a\r\n\r\n").failureStatuses.isEmpty)

        var refusing = HTTPRequestParser(limits: limits)
        #expect(refusing.feed("GET /a" + fitting.dropFirst(5) + "\r\nHost: a\r\n\r\n").failureStatuses == [414])
    }

    @Test func headerSectionAtTheLimitIsAccepted() {
        let fields = "Host: a\r\nX-Pad: " + String(repeating: "p", count: 100) + "\r\n\r\n"
        var parser = HTTPRequestParser(limits: HTTPLimits(maxHeaderBytes: fields.utf8.count))
        #expect(parser.feed("GET / HTTP/1.1\r\n" + fields).failureStatuses.isEmpty)
        var smaller = HTTPRequestParser(limits: HTTPLimits(maxHeaderBytes: fields.utf8.count - 1))
        #expect(smaller.feed("GET / HTTP/1.1\r\n" + fields).failureStatuses == [431])
    }

    @Test func bodyAtTheLimitIsAccepted() {
        var parser = HTTPRequestParser(limits: HTTPLimits(maxBodyBytes: 4))
        #expect(parser.feed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nabcd").failureStatuses.isEmpty)
    }

    @Test func contentLengthOverTheLimitIsRefusedBeforeTheHeadEnds() {
        var parser = HTTPRequestParser(limits: HTTPLimits(maxBodyBytes: 4))
        #expect(parser.feed("POST / HTTP/1.1\r\nContent-Length: 5\r\n").failureStatuses == [413])
    }

    @Test func afterAFailureNothingMoreIsParsed() {
        var parser = HTTPRequestParser()
        #expect(parser.feed("GET / HTTP/1.1\r\nHost : a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n").failureStatuses == [400])
        #expect(parser.next() == nil)
        #expect(parser.feed("GET / HTTP/1.1\r\nHost: a\r\n\r\n").isEmpty)
        #expect(parser.next() == nil)
        #expect(parser.bufferedByteCount == 0)
    }

    @Test func aRequestBeforeAFailureIsStillDelivered() {
        var parser = HTTPRequestParser()
        let events = parser.feed("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/2.0\r\n\r\n")
        #expect(events.count == 2)
        #expect(events.first == .request(HTTPRequest(method: .GET, target: "/", headers: ["Host": "a"])))
        #expect(events.failureStatuses == [505])
    }
}
