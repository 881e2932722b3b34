import Foundation
import HTTPServer
import Testing
import TestHTTPClient

@Suite("A live server over real sockets")
struct HTTPServerTests {
    @Test func keepAliveServesManyRequestsOnOneConnection() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try TestHTTPClient(port: server.port)
        for _ in 0..<3 {
            let response = try client.request("GET", "/hello")
            #expect(response.status == 200)
            #expect(response.text == "hello")
            #expect(response.header("Connection") == nil)
            #expect(response.header("Date") != nil)
        }
    }

    @Test func pipelinedRequestsAnswerInOrder() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try TestHTTPClient(port: server.port)
        try client.send("GET /items/1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\ntwoGET /items/3 HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(try client.readResponse().text == "1")
        #expect(try client.readResponse().text == "two")
        #expect(try client.readResponse().text == "3")
    }

    @Test func chunkedBodyIsDecoded() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try TestHTTPClient(port: server.port)
        try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.text == "hello world")
    }

    @Test func http10ClosesUnlessKeepAliveAsked() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try TestHTTPClient(port: server.port)
        try client.send("GET /hello HTTP/1.0\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.text == "hello")
        #expect(response.header("Connection") == "close")
        #expect(client.isClosedByServer())

        let keepAlive = try TestHTTPClient(port: server.port)
        try keepAlive.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(try keepAlive.readResponse().header("Connection") == "keep-alive")
        try keepAlive.send("GET /items/9 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(try keepAlive.readResponse().text == "9")
    }

    @Test func headHasLengthButNoBody() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try TestHTTPClient(port: server.port)
        let head = try client.request("HEAD", "/hello")
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == "5")
        #expect(head.body.isEmpty)
        // The connection is still in step: the next response is intact.
        #expect(try client.request("GET", "/hello").text == "hello")
    }

    @Test func unknownPathIs404AndWrongMethodIs405WithAllowBothThroughTheMiddleware() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try TestHTTPClient(port: server.port)
        let missing = try client.request("GET", "/nothing")
        #expect(missing.status == 404)
        #expect(missing.text == "not found")

        let wrong = try client.request("PUT", "/items/4")
        #expect(wrong.status == 405)
        #expect(wrong.header("Allow") == "GET, DELETE, HEAD")
    }

    @Test func absoluteFormTargetsAreServedByTheirPath() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try TestHTTPClient(port: server.port)
        try client.send("GET http://example.com:8080/items/7?x=1 HTTP/1.1\r\nHost: example.com\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.text == "7")
    }

    @Test func thrownErrorsReachTheMiddlewareThatRendersThem() throws {
        let server = try TestServer()
        defer { server.stop() }
        let response = try TestHTTPClient(port: server.port).request("GET", "/fail")
        #expect(response.status == 409)
        #expect(response.text == "failed")
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\n\r\n", 400),
        ("GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505),
        ("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
        ("GET /\(String(repeating: "a", count: 9000)) HTTP/1.1\r\nHost: a\r\n\r\n", 414),
        ("GET / HTTP/1.1\r\nHost: a\r\nX: \(String(repeating: "b", count: 17000))\r\n\r\n", 431),
        ("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 2000000\r\n\r\n", 413),
        ("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 400),
        ("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
    ])
    func malformedRequestsGetTheirStatusAndAClose(request: String, status: Int) throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try TestHTTPClient(port: server.port)
        try client.send(request)
        let response = try client.readResponse()
        #expect(response.status == status)
        #expect(response.header("Connection") == "close")
        #expect(response.text.hasPrefix("malformed: "))
        #expect(client.isClosedByServer())
    }

    @Test func expectContinueGetsInterimResponseBeforeTheBody() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try TestHTTPClient(port: server.port)
        try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
        #expect(try client.readResponse().status == 100)
        try client.send("ping")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.text == "ping")
    }

    @Test func halfClosedClientStillGetsItsAnswer() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try TestHTTPClient(port: server.port)
        try client.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nok")
        client.finishSending()
        let response = try client.readResponse()
        #expect(response.text == "ok")
        #expect(client.isClosedByServer())
    }

    @Test func aWaitingRequestDoesNotHoldUpOtherConnections() throws {
        let server = try TestServer()
        defer { server.stop() }
        let parked = try TestHTTPClient(port: server.port)
        try parked.send("GET /wait HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(server.gate.waitForWaiters(1))
        for _ in 0..<20 {
            #expect(try TestHTTPClient(port: server.port).request("GET", "/hello").text == "hello")
        }
        server.gate.open()
        #expect(try parked.readResponse().text == "released")
    }

    @Test func connectionsOverTheLimitAreClosed() throws {
        let server = try TestServer { $0.maxConnections = 2 }
        defer { server.stop() }
        let first = try TestHTTPClient(port: server.port)
        let second = try TestHTTPClient(port: server.port)
        #expect(try first.request("GET", "/hello").status == 200)
        #expect(try second.request("GET", "/hello").status == 200)
        let third = try TestHTTPClient(port: server.port, timeout: 2)
        try? third.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(third.isClosedByServer())
        #expect(try first.request("GET", "/hello").status == 200)
    }

    @Test func oneClientCannotHoldMoreThanItsShareOfConnections() throws {
        let server = try TestServer { $0.maxConnectionsPerClient = 2 }
        defer { server.stop() }
        var first: TestHTTPClient? = try TestHTTPClient(port: server.port)
        let second = try TestHTTPClient(port: server.port)
        #expect(try first?.request("GET", "/hello").status == 200)
        #expect(try second.request("GET", "/hello").status == 200)
        let third = try TestHTTPClient(port: server.port, timeout: 2)
        try? third.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(third.isClosedByServer())
        // A closed connection frees its slot.
        first = nil
        let deadline = Date() + 5
        var replaced = false
        while !replaced && Date() < deadline {
            replaced = (try? TestHTTPClient(port: server.port, timeout: 2).request("GET", "/hello").status) == 200
        }
        #expect(replaced)
    }

    @Test func exemptPeersAreNotCapped() throws {
        let server = try TestServer {
            $0.maxConnectionsPerClient = 1
            $0.isExemptFromClientLimit = { $0.isLoopback }
        }
        defer { server.stop() }
        let clients = try (0..<3).map { _ in try TestHTTPClient(port: server.port) }
        for client in clients {
            #expect(try client.request("GET", "/hello").status == 200)
        }
    }
}
