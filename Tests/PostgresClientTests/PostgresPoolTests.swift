import Foundation
import PostgresClient
import Testing

@Suite struct PostgresPoolTests {
    @Test func sizeIsHonouredUnderFiftyConcurrentUsers() throws {
        let application = TestDatabase.uniqueName("bound")
        let pool = PostgresPool(url: try TestDatabase.url(), size: 4, acquireTimeout: 30, applicationName: application)
        defer { pool.shutdown() }
        let admin = try TestDatabase.adminConnection()
        let inUse = Locked((now: 0, max: 0, backendsMax: 0, failures: 0))

        runOnThreads(50) { _ in
            do {
                try pool.withConnection { connection in
                    inUse.withValue { $0.now += 1; $0.max = Swift.max($0.max, $0.now) }
                    defer { inUse.withValue { $0.now -= 1 } }
                    try connection.query("SELECT pg_sleep(0.02)")
                }
            } catch {
                inUse.withValue { $0.failures += 1 }
            }
        }
        let backends = try admin.query(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1", [.text(application)]
        ).rows[0].int("n")

        #expect(inUse.current.failures == 0)
        #expect(inUse.current.max <= 4)
        #expect(inUse.current.max >= 2, "the users did contend")
        #expect(backends <= 4)
        let stats = pool.stats
        #expect(stats.size == 4 && stats.open == backends && stats.inUse == 0 && stats.waiting == 0)
    }

    @Test func waitersAreServedFirstComeFirstServed() throws {
        let pool = PostgresPool(url: try TestDatabase.url(), size: 1, acquireTimeout: 10)
        defer { pool.shutdown() }
        let order = Locked([Int]())
        try pool.withConnection { _ in
            let waiters = Thread {
                runOnThreads(5) { index in
                    // Stagger arrivals so the queue order is known.
                    Thread.sleep(forTimeInterval: Double(index) * 0.05)
                    _ = try? pool.withConnection { _ in order.withValue { $0.append(index) } }
                }
            }
            waiters.start()
            while pool.stats.waiting < 5 { Thread.sleep(forTimeInterval: 0.01) }
        }
        while order.current.count < 5 { Thread.sleep(forTimeInterval: 0.01) }
        #expect(order.current == [0, 1, 2, 3, 4])
    }

    @Test func acquireTimesOutWhenThePoolIsExhausted() throws {
        let pool = PostgresPool(url: try TestDatabase.url(), size: 1, acquireTimeout: 0.3)
        defer { pool.shutdown() }
        try pool.withConnection { _ in
            runOnThreads(1) { _ in
                let started = Date()
                do {
                    try pool.withConnection { _ in }
                    Issue.record("got a connection from an exhausted pool")
                } catch {
                    guard case .poolTimeout? = error as? PostgresError else {
                        Issue.record("expected .poolTimeout, got \(error)")
                        return
                    }
                }
                #expect(Date().timeIntervalSince(started) < 2)
                #expect(!pool.ping(timeout: 0.3), "an exhausted pool cannot answer a ping")
            }
            #expect(pool.stats.inUse == 1)
        }
        #expect(pool.stats.waiting == 0)
        #expect(pool.ping(timeout: 2))
    }

    @Test func recoversAfterItsBackendsAreTerminated() throws {
        let application = TestDatabase.uniqueName("recovery")
        let pool = PostgresPool(url: try TestDatabase.url(), size: 3, applicationName: application)
        defer { pool.shutdown() }
        runOnThreads(3) { _ in _ = try? pool.withConnection { try $0.query("SELECT pg_sleep(0.2)") } }
        #expect(pool.stats.open == 3)

        let admin = try TestDatabase.adminConnection()
        let terminated = try admin.query(
            "SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE application_name = $1",
            [.text(application)]
        ).rows[0].int("n")
        #expect(terminated == 3)
        Thread.sleep(forTimeInterval: 0.2)  // let the FATAL messages and closes arrive

        #expect(try pool.withConnection { try $0.query("SELECT 41 + 1 AS v").rows[0].int("v") } == 42)
        #expect(try pool.transaction { try $0.query("SELECT 1 AS v").rows[0].int("v") } == 1)
        #expect(pool.ping())
    }

    @Test func readThatLosesAnIdleConnectionRunsAgainOnAFreshOne() throws {
        let pool = PostgresPool(url: try TestDatabase.url(), size: 1)
        defer { pool.shutdown() }
        try pool.withConnection { try $0.query("SELECT 1") }  // leaves an idle connection
        let attempts = Locked(0)
        let value = try pool.withConnection { connection in
            let attempt = attempts.withValue { $0 += 1; return $0 }
            if attempt == 1 {
                // The connection dies under a read, as when the server restarts mid-request.
                try connection.query("SELECT pg_terminate_backend(pg_backend_pid())")
            }
            return try connection.query("SELECT 7 AS v").rows[0].int("v")
        }
        #expect(value == 7)
        #expect(attempts.current == 2)
    }

    @Test func writeThatLosesItsConnectionIsNotRunTwice() throws {
        try TestDatabase.withSchema { url in
            let pool = PostgresPool(url: url, size: 1)
            defer { pool.shutdown() }
            try pool.withConnection { try $0.execute("CREATE TABLE writes (n int)") }
            let attempts = Locked(0)
            #expect(throws: PostgresError.self) {
                try pool.withConnection { connection in
                    attempts.withValue { $0 += 1 }
                    try connection.query("INSERT INTO writes VALUES ($1)", [1])
                    try connection.query("SELECT pg_terminate_backend(pg_backend_pid())")
                }
            }
            #expect(attempts.current == 1)
            #expect(try pool.withConnection { try $0.query("SELECT count(*) AS n FROM writes").rows[0].int("n") } == 1)
        }
    }

    @Test func pingIsFalseWithinTheTimeoutWhenTheServerIsDownOrHangs() throws {
        let closed = try LoopbackSocket(listening: false)
        let hanging = try LoopbackSocket(listening: true)
        for port in [closed.port, hanging.port] {
            let pool = PostgresPool(url: "postgresql://postgres@127.0.0.1:\(port)/authserver", size: 2)
            defer { pool.shutdown() }
            let started = Date()
            #expect(!pool.ping(timeout: 1))
            #expect(Date().timeIntervalSince(started) < 2, "port \(port)")
            #expect(pool.stats.open == 0)
        }
    }

    @Test func shutdownClosesEverythingAndRefusesNewWork() throws {
        let pool = PostgresPool(url: try TestDatabase.url(), size: 2)
        #expect(try pool.withConnection { _ in pool.stats.inUse } == 1)
        #expect(pool.stats.open == 1)
        pool.shutdown()
        #expect(pool.stats.open == 0)
        do {
            try pool.withConnection { _ in }
            Issue.record("a shut-down pool lent a connection")
        } catch {
            guard case .closed? = error as? PostgresError else {
                Issue.record("expected .closed, got \(error)")
                return
            }
        }
        #expect(!pool.ping())
    }
}
