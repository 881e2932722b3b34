import HTTPServer
import Testing

@Suite("HTTPHeaders")
struct HTTPHeadersTests {
    private let headers: HTTPHeaders = ["Host": "a", "Accept": "text/html", "accept": "application/json"]

    @Test func lookupIgnoresCaseAndAnswersTheFirstValue() {
        #expect(headers["ACCEPT"] == "text/html")
        #expect(headers["host"] == "a")
        #expect(headers["Missing"] == nil)
    }

    @Test func valuesKeepTheirOrder() {
        #expect(headers.values("Accept") == ["text/html", "application/json"])
        #expect(headers.values("Missing").isEmpty)
    }

    @Test func iterationKeepsTheReceivedOrderAndSpelling() {
        #expect(headers.map(\.name) == ["Host", "Accept", "accept"])
        #expect(headers.count == 3)
    }

    @Test func rawValuesAreLentWithoutMakingAString() {
        #expect(headers.withValue(of: "accept") { $0.map { String(decoding: $0, as: UTF8.self) } } == "text/html")
        #expect(headers.withValue(of: "Missing") { $0 == nil })
        #expect(headers.contains("HOST") && !headers.contains("Hos"))
    }
}

@Suite("HTTPResponseHeaders")
struct HTTPResponseHeadersTests {
    @Test func fieldsAreEncodedAsTheyGoOnTheWire() {
        var headers = HTTPResponseHeaders([("Content-Type", "text/plain")])
        headers.add(EncodedHeaderFields([("X-Frame-Options", "DENY"), ("Vary", "Origin")]))
        headers.add("vary", "Accept")
        #expect(String(decoding: headers.encoded, as: UTF8.self)
            == "Content-Type: text/plain\r\nX-Frame-Options: DENY\r\nVary: Origin\r\nvary: Accept\r\n")
        #expect(headers.values("VARY") == ["Origin", "Accept"])
        #expect(headers["content-type"] == "text/plain")
        #expect(!headers.contains("Content"))
    }

    @Test func aFieldThatCouldSplitTheResponseIsNeverSent() {
        var headers = HTTPResponseHeaders()
        headers.add("X-Evil", "a\r\nSet-Cookie: stolen=1")
        headers.add("X-Evil\n", "a")
        headers.add("X-Nul", "a\u{0}b")
        #expect(headers.encoded.isEmpty)
    }
}
