import HTTPServer
import Testing

@Suite("Chunked request bodies")
struct ChunkedBodyTests {
    private static let head = "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"

    /// The decoded body of a chunked request, or the statuses of its failures.
    private func decode(_ chunks: String, limits: HTTPLimits = HTTPLimits()) -> Result<[UInt8], StatusList> {
        var parser = HTTPRequestParser(limits: limits)
        let events = parser.feed(Self.head + chunks)
        if case .request(let request) = events.last { return .success(request.body) }
        return .failure(StatusList(statuses: events.failureStatuses))
    }

    struct StatusList: Error, Equatable {
        let statuses: [Int]
    }

    @Test(arguments: [
        ("0\r\n\r\n", ""),
        ("a\r\n0123456789\r\n0\r\n\r\n", "0123456789"),
        ("A\r\n0123456789\r\n1\r\n!\r\n0\r\n\r\n", "0123456789!"),
        ("0003\r\nabc\r\n000\r\n\r\n", "abc"),
        ("3;a=b;c=\"d;e\"\r\nabc\r\n0;last\r\n\r\n", "abc"),
        ("3 \t; spaced = out\r\nabc\r\n0\r\n\r\n", "abc"),
        ("3\r\na\r\n\r\n0\r\nX-Sum: 1\r\nX-Other:\r\n\r\n", "a\r\n"),
    ])
    func decodesChunks(chunks: String, body: String) {
        #expect(decode(chunks) == .success(Array(body.utf8)))
    }

    @Test func trailerFieldsAreNotAddedToTheHeaders() throws {
        var parser = HTTPRequestParser()
        let events = parser.feed(Self.head + "0\r\nX-Sum: 1\r\n\r\n")
        guard case .request(let request) = try #require(events.first) else {
            Issue.record("expected a request, got \(events)")
            return
        }
        #expect(request.headers["X-Sum"] == nil)
    }

    @Test func incompleteTrailerSectionNeedsMore() {
        var parser = HTTPRequestParser()
        #expect(parser.feed(Self.head + "0\r\nX-Sum: 1\r\n").isEmpty)
        #expect(parser.feed("\r\n").count == 1)
    }

    @Test func sumAtTheBodyLimitIsAcceptedAndOneMoreIs413() {
        let limits = HTTPLimits(maxBodyBytes: 5)
        #expect(decode("3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n", limits: limits) == .success(Array("abcde".utf8)))
        // Refused on the size line, before the chunk's data arrives.
        #expect(decode("3\r\nabc\r\n3\r\n", limits: limits) == .failure(StatusList(statuses: [413])))
    }

    @Test func extensionsAreBoundedAcrossChunks() {
        let limits = HTTPLimits(maxChunkExtensionBytes: 10)
        #expect(decode("1;abcdefghi\r\na\r\n0\r\n\r\n", limits: limits) == .success(Array("a".utf8)))
        #expect(decode("1;abcde\r\na\r\n1;abcde\r\nb\r\n", limits: limits) == .failure(StatusList(statuses: [400])))
        // An extension that never ends is refused without waiting for its CRLF.
        #expect(decode("1;" + String(repeating: "x", count: 100), limits: limits) == .failure(StatusList(statuses: [400])))
    }

    @Test(arguments: [
        ("1;a\u{0}\r\na\r\n0\r\n\r\n", 400),
        ("1 x\r\na\r\n0\r\n\r\n", 400),
        ("1 \r\na\r\n0\r\n\r\n", 400),
        ("0\r\n X-Folded: 1\r\n\r\n", 400),
        ("0\r\nX-Sum : 1\r\n\r\n", 400),
        ("0\r\nX-Sum: 1\n\r\n", 400),
        ("0\r\n\n", 400),
    ])
    func malformedChunkLinesAre400(chunks: String, status: Int) {
        #expect(decode(chunks) == .failure(StatusList(statuses: [status])))
    }

    @Test func trailerSectionIsBoundedByTheHeaderLimits() {
        let fewFields = HTTPLimits(maxHeaderCount: 2)
        #expect(decode("0\r\nA: 1\r\nB: 2\r\n\r\n", limits: fewFields) == .success([]))
        #expect(decode("0\r\nA: 1\r\nB: 2\r\nC: 3\r\n", limits: fewFields) == .failure(StatusList(statuses: [431])))

        let fewBytes = HTTPLimits(maxHeaderBytes: 60)
        let large = "0\r\nX-Big: " + String(repeating: "b", count: 60)
        #expect(decode(large, limits: fewBytes) == .failure(StatusList(statuses: [431])))
    }
}
