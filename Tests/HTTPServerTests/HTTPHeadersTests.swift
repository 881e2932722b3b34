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

    @Test func replaceOrAddReplacesTheFirstAndDropsTheOthers() {
        var replaced = headers
        replaced.replaceOrAdd(name: "ACCEPT", value: "*/*")
        #expect(replaced == ["Host": "a", "Accept": "*/*"])
        replaced.replaceOrAdd(name: "X-New", value: "1")
        #expect(replaced == ["Host": "a", "Accept": "*/*", "X-New": "1"])
    }

    @Test func removeDropsEveryFieldWithTheName() {
        var removed = headers
        removed.remove(name: "accept")
        #expect(removed == ["Host": "a"])
    }
}
