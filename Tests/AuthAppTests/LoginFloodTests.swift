import Foundation
import Testing
import TestHTTPClient

@Suite("bcrypt stays off the event loops")
struct LoginFloodTests {
    /// A flood of logins at cost 12 queues on the bcrypt pool; the event loops keep answering
    /// `/health/live` at once. The bound is a generous liveness check, not a speed target (0.5 s): were
    /// bcrypt on an event loop, a probe would wait behind whole seconds of hashing.
    @Test func healthStaysResponsiveDuringALoginFlood() throws {
        let app = try TestApp(["BCRYPT_COST": "12"])
        let account = try app.client().register()
        let flood = DispatchGroup()
        for _ in 0..<12 {
            DispatchQueue.global().async(group: flood) {
                _ = try? app.client().login(account.email, "wrong password")
            }
        }
        Thread.sleep(forTimeInterval: 0.2)
        let probe = try TestHTTPClient(port: app.port)
        var slowest = 0.0
        for _ in 0..<10 {
            let started = Date()
            #expect(try probe.request("GET", "/health/live").status == 200)
            slowest = max(slowest, Date().timeIntervalSince(started))
            Thread.sleep(forTimeInterval: 0.05)
        }
        flood.wait()
        #expect(slowest < 0.5)
    }
}
