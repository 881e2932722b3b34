import Foundation
import Outbound
import ScriptServers
import Synchronization
import Testing

/// Requests to a real server: Tests/Support/https_server.py (http.server and ssl) on 127.0.0.1,
/// with a certificate from a throwaway CA.
@Suite struct HTTPSClientTests {
    private let timeouts = OutboundTimeouts(connect: 5, total: 10)

    private func json(_ response: HTTPSResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    /// How `body` fails; records an issue when it does not.
    private func failure(_ body: () throws(HTTPSClientError) -> HTTPSResponse) -> HTTPSClientError? {
        do {
            let response = try body()
            Issue.record("answered \(response.status)")
            return nil
        } catch {
            return error
        }
    }

    @Test func getReturnsStatusHeadersAndBodyWhenTheExtraCATrustsTheServer() throws {
        let ca = try TestCA()
        let server = try ScriptServer("https_server.py", ca.serverArguments)
        let client = HTTPSClient(trust: try CertificateTrust(extraCAFile: ca.caFile), timeouts: timeouts)
        let response = try client.get("https://localhost:\(server.port)/json", headers: [("Accept", "application/json"), ("X-Request-Id", "r-1")])
        #expect(response.status == 200)
        #expect(response.header("content-type") == "application/json")
        #expect(response.header("Cache-Control") == "public, max-age=300")
        let headers = try #require(try json(response)["headers"] as? [String: String])
        #expect(headers["X-Request-Id"] == "r-1")
        #expect(headers["User-Agent"] == "authserver")
        #expect(headers["Expect"] == nil)
    }

    @Test func postSendsAFormThatTheServerDecodes() throws {
        let ca = try TestCA()
        let server = try ScriptServer("https_server.py", ca.serverArguments)
        let client = HTTPSClient(trust: try CertificateTrust(extraCAFile: ca.caFile), timeouts: timeouts)
        let fields = [("grant_type", "authorization_code"), ("code", "a b&c=d/é+%"), ("redirect_uri", "https://app.example/cb?x=1"), ("empty", "")]
        let response = try client.post("https://127.0.0.1:\(server.port)/echo", form: fields, headers: [("Authorization", "Basic Y2xpZW50OnNlY3JldA==")])
        #expect(response.status == 200)
        let echo = try json(response)
        #expect(echo["content_type"] as? String == "application/x-www-form-urlencoded")
        #expect(echo["body"] as? String
            == "grant_type=authorization_code&code=a+b%26c%3Dd%2F%C3%A9%2B%25&redirect_uri=https%3A%2F%2Fapp.example%2Fcb%3Fx%3D1&empty=")
        let form = try #require(echo["form"] as? [[String]])
        #expect(form == fields.map { [$0.0, $0.1] })
        #expect((echo["headers"] as? [String: String])?["Authorization"] == "Basic Y2xpZW50OnNlY3JldA==")
    }

    @Test func postSendsARawBody() throws {
        let ca = try TestCA()
        let server = try ScriptServer("https_server.py", ca.serverArguments)
        let client = HTTPSClient(trust: try CertificateTrust(extraCAFile: ca.caFile), timeouts: timeouts)
        let response = try client.post("https://localhost:\(server.port)/echo", body: Array(#"{"a":1}"#.utf8), contentType: "application/json")
        let echo = try json(response)
        #expect(echo["content_type"] as? String == "application/json")
        #expect(echo["body"] as? String == #"{"a":1}"#)
        let empty = try client.post("https://localhost:\(server.port)/echo", body: [], contentType: "text/plain")
        #expect(try json(empty)["body"] as? String == "")
    }

    @Test func serverOutsideTheTrustedCAsIsATLSFailure() throws {
        let ca = try TestCA()
        let server = try ScriptServer("https_server.py", ca.serverArguments)
        let client = HTTPSClient(trust: try CertificateTrust(), timeouts: timeouts)
        let error = failure { () throws(HTTPSClientError) in try client.get("https://localhost:\(server.port)/json") }
        guard case .tlsFailed(let reason) = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(reason.contains("certificate"), "\(reason)")
    }

    @Test func responsesPastTheSizeLimitAreRefused() throws {
        let ca = try TestCA()
        let server = try ScriptServer("https_server.py", ca.serverArguments)
        let client = HTTPSClient(trust: try CertificateTrust(extraCAFile: ca.caFile), timeouts: timeouts, responseSizeLimit: 10_000)
        #expect(try client.get("https://localhost:\(server.port)/bytes/5000").body.count == 5000)
        // Refused on its Content-Length, and without one, once the body passes the limit.
        for path in ["/bytes/20000", "/stream/200000"] {
            let error = failure { () throws(HTTPSClientError) in try client.get("https://localhost:\(server.port)\(path)") }
            #expect(error == .responseTooLarge(limit: 10_000), "\(path)")
        }
        #expect(try client.get("https://localhost:\(server.port)/json").status == 200, "the pooled handle still works")
    }

    @Test func serverThatNeverAnswersTimesOutWithinTheTotalTimeout() throws {
        let ca = try TestCA()
        let server = try ScriptServer("https_server.py", ca.serverArguments)
        let client = HTTPSClient(trust: try CertificateTrust(extraCAFile: ca.caFile), timeouts: OutboundTimeouts(connect: 2, total: 1.5))
        let clock = ContinuousClock()
        let start = clock.now
        let error = failure { () throws(HTTPSClientError) in try client.get("https://localhost:\(server.port)/hang") }
        let elapsed = clock.now - start
        guard case .timedOut = error else {
            Issue.record("\(String(describing: error))")
            return
        }
        #expect(elapsed >= .seconds(1.4) && elapsed < .seconds(3.5), "\(elapsed)")
    }

    @Test func plainHTTPOnlyToLoopbackAndOnlyWhenAllowed() throws {
        let server = try ScriptServer("https_server.py", [])
        let url = "http://127.0.0.1:\(server.port)/json"
        let strict = HTTPSClient(trust: try CertificateTrust(), timeouts: timeouts)
        #expect(failure { () throws(HTTPSClientError) in try strict.get(url) } == .protocolRefused(scheme: "http"))

        let development = HTTPSClient(trust: try CertificateTrust(), timeouts: timeouts, allowsPlainHTTPToLoopback: true)
        #expect(try development.get(url).status == 200)
        #expect(failure { () throws(HTTPSClientError) in try development.get("http://example.com/") } == .protocolRefused(scheme: "http"))
        #expect(failure { () throws(HTTPSClientError) in try development.get("ftp://127.0.0.1:\(server.port)/") } == .protocolRefused(scheme: "ftp"))
        #expect(failure { () throws(HTTPSClientError) in try development.get("gopher://127.0.0.1:\(server.port)/") } == .protocolRefused(scheme: "gopher"))
        #expect(failure { () throws(HTTPSClientError) in try development.get("file:///etc/passwd") } != nil)
    }

    @Test func redirectsAreReturnedNotFollowed() throws {
        let ca = try TestCA()
        let server = try ScriptServer("https_server.py", ca.serverArguments)
        let client = HTTPSClient(trust: try CertificateTrust(extraCAFile: ca.caFile), timeouts: timeouts)
        let response = try client.get("https://localhost:\(server.port)/redirect")
        #expect(response.status == 302)
        #expect(response.header("Location") == "/json")
    }

    @Test func headersThatWouldSplitTheRequestAndURLsWithCredentialsAreRefused() throws {
        let client = HTTPSClient(trust: try CertificateTrust(), timeouts: timeouts)
        #expect(failure { () throws(HTTPSClientError) in try client.get("https://localhost:1/", headers: [("X-A", "1\r\nX-B: 2")]) }
            == .invalidHeader(name: "X-A"))
        #expect(failure { () throws(HTTPSClientError) in try client.get("https://localhost:1/", headers: [("X A", "1")]) }
            == .invalidHeader(name: "X A"))
        #expect(failure { () throws(HTTPSClientError) in try client.get("https://client:secret@localhost:1/") }
            == .invalidURL("credentials in the URL"))
        #expect(failure { () throws(HTTPSClientError) in try client.get("not a url") } == .invalidURL("libcurl cannot parse it"))
    }

    @Test func refusedConnectionIsAConnectFailure() throws {
        let server = try ScriptServer("https_server.py", [])
        server.stop()
        let client = HTTPSClient(trust: try CertificateTrust(), timeouts: timeouts)
        let error = failure { () throws(HTTPSClientError) in try client.get("https://127.0.0.1:\(server.port)/json") }
        guard case .connectFailed = error else {
            Issue.record("\(String(describing: error))")
            return
        }
    }

    @Test func nextRequestReusesTheConnection() throws {
        let ca = try TestCA()
        let server = try ScriptServer("https_server.py", ca.serverArguments)
        let client = HTTPSClient(trust: try CertificateTrust(extraCAFile: ca.caFile), timeouts: timeouts)
        let ports = try (0..<3).map { _ in try json(client.get("https://localhost:\(server.port)/json"))["client_port"] as? Int }
        #expect(Set(ports).count == 1, "\(ports)")
    }

    @Test func manyThreadsShareOneClient() throws {
        let ca = try TestCA()
        let server = try ScriptServer("https_server.py", ca.serverArguments)
        let client = HTTPSClient(trust: try CertificateTrust(extraCAFile: ca.caFile), timeouts: timeouts)
        let url = "https://localhost:\(server.port)/json"
        let statuses = Mutex<[Int]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<5 {
                let status = (try? client.get(url).status) ?? 0
                statuses.withLock { $0.append(status) }
            }
        }
        #expect(statuses.withLock { $0 } == Array(repeating: 200, count: 40))
    }
}
