import AuthCrypto
import Foundation
import Testing
import TestHTTPClient

extension BcryptHeavyTests {
    @Suite("bcrypt stays off the event loops, and its queue is bounded")
    struct LoginFloodTests {
        /// A flood of logins at cost 12 fills the bcrypt pool and its short queue; the rest are
        /// refused at once with 503 and `Retry-After`, and routes that never wait for bcrypt keep
        /// answering. The bound is a liveness check, not a speed target: were bcrypt on an event
        /// loop, or did waiting logins hold threads, a probe would wait behind at least one whole
        /// hash. So it is one hash's time, measured here and now (a loaded machine stretches both
        /// alike), or half a second when that is longer.
        @Test func loginsPastTheBcryptQueueAre503WhileOtherRoutesKeepAnswering() async throws {
            let hashStarted = Date()
            _ = BCrypt.hash(password: Array("one hash's time".utf8), cost: 12)
            let oneHash = Date().timeIntervalSince(hashStarted)
            let app = try await TestApp(["BCRYPT_COST": "12"])
            let account = try await app.client().register()
            async let flood = concurrently(16) { () -> (Int, String?) in
                let response = try? await app.client().login(account.email, "wrong password")
                return (response?.status ?? -1, response?.header("Retry-After"))
            }
            // Probe while the flood is in flight: sixteen hashes at cost 12 take seconds of CPU.
            let probe = try app.client()
            var slowest = 0.0
            for _ in 0..<10 {
                let started = Date()
                #expect(try await probe.call("GET", "/health/live").status == 200)
                #expect(try await probe.call("GET", "/api/auth/me", token: account.accessToken).status == 200)
                slowest = max(slowest, Date().timeIntervalSince(started))
            }
            let answers = await flood
            #expect(slowest < max(0.5, oneHash), "a probe waited as long as a hash (\(oneHash) s)")
            #expect(answers.filter { $0.0 == 401 }.count >= 2)
            #expect(answers.contains { $0.0 == 503 })
            #expect(answers.allSatisfy { $0.0 == 401 || ($0.0 == 503 && $0.1 == "1") })
        }
    }
}
