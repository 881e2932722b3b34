import Foundation
import HTTPServer
import Testing
import TestHTTPClient

@Suite("Timeouts and shutdown")
struct HTTPServerTimeoutTests {
    @Test func tricklingClientIsCutOffWhileOthersAreServed() throws {
        let server = try TestServer { $0.headerTimeout = 1 }
        defer { server.stop() }
        let trickler = try TestHTTPClient(port: server.port)
        let started = Date()
        var cutOff = false
        // One byte every 200 ms would take 6 s for this head; the server must stop it after ~1 s.
        for byte in "GET /hello HTTP/1.1\r\nHost: a\r\nX-Slow: yes\r\n\r\n".utf8 {
            if (try? trickler.send([byte])) == nil {
                cutOff = true
                break
            }
            #expect(try TestHTTPClient(port: server.port).request("GET", "/hello").status == 200)
            usleep(200_000)
            if Date().timeIntervalSince(started) > 4 { break }
        }
        if !cutOff {
            let response = try? trickler.readResponse()
            cutOff = response?.status == 408 || trickler.isClosedByServer()
        }
        #expect(cutOff)
        #expect(Date().timeIntervalSince(started) < 4)
    }

    @Test func idleKeepAliveConnectionIsClosed() throws {
        let server = try TestServer { $0.idleTimeout = 0.5 }
        defer { server.stop() }
        let client = try TestHTTPClient(port: server.port, timeout: 3)
        #expect(try client.request("GET", "/hello").status == 200)
        let started = Date()
        #expect(client.isClosedByServer())
        #expect(Date().timeIntervalSince(started) < 2.5)
    }

    @Test func aClientThatSendsNothingIsClosedAfterTheHeaderTimeoutFromItsAccept() throws {
        let server = try TestServer {
            $0.headerTimeout = 0.5
            $0.idleTimeout = 30
        }
        defer { server.stop() }
        let silent = try TestHTTPClient(port: server.port, timeout: 5)
        let started = Date()
        #expect(silent.isClosedByServer())
        #expect(Date().timeIntervalSince(started) < 2)
    }

    @Test func blankLinesDoNotResetTheHeaderTimeout() throws {
        let server = try TestServer {
            $0.headerTimeout = 1
            $0.idleTimeout = 30
        }
        defer { server.stop() }
        let client = try TestHTTPClient(port: server.port, timeout: 5)
        let started = Date()
        var closed = false
        while !closed && Date().timeIntervalSince(started) < 4 {
            closed = (try? client.send("\r\n")) == nil
            usleep(100_000)
        }
        #expect(closed || client.isClosedByServer())
        #expect(Date().timeIntervalSince(started) < 3)
    }

    @Test func shutdownFinishesTheRequestInFlight() throws {
        let server = try TestServer()
        let busy = try TestHTTPClient(port: server.port)
        try busy.send("GET /wait HTTP/1.1\r\nHost: a\r\n\r\n")
        let idle = try TestHTTPClient(port: server.port)
        #expect(try idle.request("GET", "/hello").status == 200)
        #expect(server.gate.waitForWaiters(1))

        let stopped = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            server.stop(timeout: 10)
            stopped.signal()
        }
        #expect(idle.isClosedByServer())
        // The two clients may be on different loops: release the request once shutdown has
        // reached them all, not only the idle client's.
        let deadline = Date().addingTimeInterval(5)
        while !server.server.isDraining && Date() < deadline { usleep(1_000) }
        server.gate.open()
        let response = try busy.readResponse()
        #expect(response.text == "released")
        #expect(response.header("Connection") == "close")
        #expect(stopped.wait(timeout: .now() + 5) == .success)
        #expect((try? TestHTTPClient(port: server.port)) == nil)
    }

    @Test func idleConnectionsAddNoThreads() throws {
        let server = try TestServer { $0.maxConnectionsPerClient = 2000 }
        defer { server.stop() }
        #expect(try TestHTTPClient(port: server.port).request("GET", "/hello").status == 200)
        let threadsBefore = TestServer.threadCount
        var clients: [TestHTTPClient] = []
        for _ in 0..<1000 {
            clients.append(try TestHTTPClient(port: server.port))
        }
        #expect(try clients[999].request("GET", "/hello").status == 200)
        // Every loop accepts from the one listener: the last client served does not mean another
        // loop has counted an earlier one it accepted (seen under ThreadSanitizer's slowdown).
        let deadline = Date().addingTimeInterval(5)
        while server.server.openConnections < 1000 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        #expect(server.server.openConnections >= 1000)
        // Other tests start and stop servers in parallel, so the process's count moves a little;
        // a thread per connection would add a thousand.
        #expect(TestServer.threadCount - threadsBefore < 100)
    }
}
