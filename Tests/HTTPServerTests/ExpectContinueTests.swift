import HTTPServer
import Testing

@Suite("Expect: 100-continue")
struct ExpectContinueTests {
    private let expectedRequest = HTTPRequest(
        method: .POST, target: "/api/auth/register",
        headers: ["Host": "a", "Expect": "100-continue", "Content-Length": "5"], body: Array("hello".utf8)
    )
    private let head = "POST /api/auth/register HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"

    @Test func headWithoutItsBodyAsksToContinueOnce() {
        var parser = HTTPRequestParser()
        #expect(parser.feed(head) == [.expectContinue])
        #expect(parser.feed("he") == [])
        #expect(parser.feed("llo") == [.request(expectedRequest)])
    }

    @Test func bodyAlreadyBufferedSkipsStraightToTheRequest() {
        var parser = HTTPRequestParser()
        #expect(parser.feed(head + "hello") == [.request(expectedRequest)])
    }

    @Test func partOfTheBodyBufferedStillAsksToContinue() {
        var parser = HTTPRequestParser()
        #expect(parser.feed(head + "hel") == [.expectContinue])
        #expect(parser.feed("lo") == [.request(expectedRequest)])
    }

    @Test func byteByByteAsksExactlyOnceBeforeTheRequest() {
        let events = HTTPRequestParser.eventsByteByByte(of: Array((head + "hello").utf8))
        #expect(events == [.expectContinue, .request(expectedRequest)])
    }

    @Test func chunkedBodyAsksOnceAcrossItsChunks() {
        var parser = HTTPRequestParser()
        let chunkedHead = "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nTransfer-Encoding: chunked\r\n\r\n"
        #expect(parser.feed(chunkedHead) == [.expectContinue])
        #expect(parser.feed("3\r\nabc\r\n") == [])
        let events = parser.feed("0\r\n\r\n")
        #expect(events == [.request(HTTPRequest(
            method: .POST, target: "/",
            headers: ["Host": "a", "Expect": "100-Continue", "Transfer-Encoding": "chunked"], body: Array("abc".utf8)
        ))])
    }

    @Test(arguments: [
        "GET / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n",
        "POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n",
        "POST / HTTP/1.0\r\nExpect: something-else\r\nContent-Length: 5\r\n\r\n",
    ])
    func noBodyToWaitForOrHTTP10MeansNoContinue(_ text: String) {
        var parser = HTTPRequestParser()
        let events = parser.feed(text)
        #expect(!events.contains(.expectContinue))
        #expect(events.failureStatuses.isEmpty)
    }

    @Test func nextRequestOnTheConnectionAsksAgain() {
        var parser = HTTPRequestParser()
        #expect(parser.feed(head) == [.expectContinue])
        #expect(parser.feed("hello") == [.request(expectedRequest)])
        #expect(parser.feed(head) == [.expectContinue])
    }
}
