import Foundation
@testable import PostgresClient
import Reactor
import Testing

/// Holds a session's connection until `release()`: a pool exhausted on demand.
final class HeldSession: Sendable {
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation
    private let task: Task<Void, any Error>

    init(_ database: PostgresDatabase) async {
        (stream, continuation) = AsyncStream.makeStream()
        let stream = stream
        task = Task {
            try await database.withSession { session in
                try await session.query("SELECT 1")
                for await _ in stream {}
            }
        }
        _ = await eventually { database.stats.inUse >= 1 }
    }

    func release() async throws {
        continuation.finish()
        try await task.value
    }
}

@Suite struct PostgresPoolTests {
    @Test func sizeIsHonouredUnderFiftyConcurrentTransactions() async throws {
        let application = TestDatabase.uniqueName("bound")
        let settings = PostgresConnectionSettings(applicationName: application)
        try await TestDatabase.withDatabase(size: 4, loops: 2, settings: settings, acquireTimeout: 30) { database, _ async throws in
            let inUse = Locked((now: 0, max: 0, failures: 0))
            await withTaskGroup(of: Void.self) { tasks in
                for _ in 0..<50 {
                    tasks.addTask {
                        do {
                            try await database.transaction { transaction in
                                inUse.withValue { $0.now += 1; $0.max = Swift.max($0.max, $0.now) }
                                defer { inUse.withValue { $0.now -= 1 } }
                                try await transaction.query("SELECT pg_sleep(0.02)")
                            }
                        } catch {
                            inUse.withValue { $0.failures += 1 }
                        }
                    }
                }
            }
            let backends = try await TestDatabase.backends(of: application)
            #expect(inUse.current.failures == 0)
            #expect(inUse.current.max <= 4)
            #expect(inUse.current.max >= 2, "the transactions did contend")
            #expect(backends <= 4)
            let stats = database.stats
            #expect(stats.size == 4 && stats.open == backends && stats.inUse == 0 && stats.waiting == 0)
        }
    }

    @Test func waitersAreServedFirstComeFirstServed() async throws {
        try await TestDatabase.withDatabase(size: 1, acquireTimeout: 10) { database, _ async throws in
            let order = Locked([Int]())
            let held = await HeldSession(database)
            await withTaskGroup(of: Void.self) { tasks in
                for index in 0..<5 {
                    // Each waiter queues only once the one before it has, so the queue order is known.
                    _ = await eventually { database.stats.waiting == index }
                    tasks.addTask {
                        _ = try? await database.transaction { _ in order.withValue { $0.append(index) } }
                    }
                }
                #expect(await eventually { database.stats.waiting == 5 })
                #expect(order.current.isEmpty)
                try? await held.release()
            }
            #expect(order.current == [0, 1, 2, 3, 4])
        }
    }

    @Test func acquireTimesOutWhenEveryConnectionIsHeld() async throws {
        try await TestDatabase.withDatabase(size: 1, acquireTimeout: 0.3) { database, _ async throws in
            let held = await HeldSession(database)
            let elapsed = await seconds {
                do {
                    try await database.transaction { _ in }
                    Issue.record("got a connection from an exhausted pool")
                } catch {
                    guard case .poolTimeout? = error as? PostgresError else {
                        Issue.record("expected .poolTimeout, got \(error)")
                        return
                    }
                }
                await #expect(throws: PostgresError.poolTimeout) { try await database.query("SELECT 1") }
                #expect(await !database.ping(timeout: 0.3), "an exhausted pool cannot answer a ping")
            }
            #expect(elapsed < 3)
            #expect(database.stats.inUse == 1)
            try await held.release()
            #expect(database.stats.waiting == 0)
            #expect(await database.ping(timeout: 2))
        }
    }

    @Test func recoversAfterItsBackendsAreTerminated() async throws {
        let application = TestDatabase.uniqueName("recovery")
        try await TestDatabase.withDatabase(size: 3, settings: PostgresConnectionSettings(applicationName: application)) { database, _ async throws in
            await withTaskGroup(of: Void.self) { tasks in
                for _ in 0..<3 {
                    tasks.addTask { _ = try? await database.transaction { try await $0.query("SELECT pg_sleep(0.2)") } }
                }
            }
            #expect(database.stats.open == 3)
            let terminated = try await TestDatabase.terminateBackends(of: application)
            #expect(terminated == 3)
            // The loop reads each FATAL message and close as it arrives, without a query.
            #expect(await eventually { database.stats.open == 0 })
            #expect(try await database.query("SELECT 41 + 1 AS v").rows[0].int("v") == 42)
            #expect(try await database.transaction { try await $0.query("SELECT 1 AS v").rows[0].int("v") } == 1)
            #expect(await database.ping(timeout: 2))
        }
    }

    @Test func readRightAfterItsIdleConnectionIsTerminatedSucceeds() async throws {
        let application = TestDatabase.uniqueName("idle")
        try await TestDatabase.withDatabase(size: 1, settings: PostgresConnectionSettings(applicationName: application)) { database, group async throws in
            for round in 0..<5 {
                try await database.query("SELECT 1")
                #expect(try await TestDatabase.terminateBackends(of: application) == 1)
                // Sent at once: before or after the loop has noticed, the read must succeed.
                #expect(try await database.query("SELECT $1::int AS v", [.int(round)]).rows[0].int("v") == round)
            }
        }
    }

    @Test func readThatLosesAnIdleConnectionRunsAgainOnAFreshOne() async throws {
        try await TestDatabase.withDatabase(size: 1) { database, _ async throws in
            try await database.query("SELECT 1")  // leaves an idle connection
            let attempts = Locked(0)
            let value = try await database.withSession { session in
                let attempt = attempts.withValue { $0 += 1; return $0 }
                if attempt == 1 {
                    // The connection dies under a read, as when the server restarts mid-request.
                    try await session.query("SELECT pg_terminate_backend(pg_backend_pid())")
                }
                return try await session.query("SELECT 7 AS v").rows[0].int("v")
            }
            #expect(value == 7)
            #expect(attempts.current == 2)
        }
    }

    @Test func writeThatLosesItsConnectionIsNotRunTwice() async throws {
        try await TestDatabase.withSchema { url in
            try await TestDatabase.withDatabase(url: url, size: 1) { database, _ async throws in
                try await database.query("CREATE TABLE writes (n int)")
                let attempts = Locked(0)
                await #expect(throws: PostgresError.self) {
                    try await database.withSession { session in
                        attempts.withValue { $0 += 1 }
                        try await session.query("INSERT INTO writes VALUES ($1)", [1])
                        try await session.query("SELECT pg_terminate_backend(pg_backend_pid())")
                    }
                }
                #expect(attempts.current == 1)
                #expect(try await database.query("SELECT count(*) AS n FROM writes").rows[0].int("n") == 1)
            }
        }
    }

    @Test func busyConnectionTerminatedFailsItsStatementsAndThePoolRecovers() async throws {
        let application = TestDatabase.uniqueName("busy")
        try await TestDatabase.withDatabase(size: 1, settings: PostgresConnectionSettings(applicationName: application)) { database, group async throws in
            try await database.query("SELECT 1")
            try await withTaskExecutorPreference(group.loops[0]) {
                // Not a read: a lost write is reported, never retried.
                let slow = Task { try await database.query("DO $$ BEGIN PERFORM pg_sleep(5); END $$") }
                _ = try await eventually {
                    try await TestDatabase.admin().query(
                        "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1 AND state = 'active'", [.text(application)]
                    ).rows[0].int("n") == 1
                }
                // Pipelined behind the busy statement, in a later batch: not retried either.
                let queued = Task { try await database.query("SELECT 2") }
                #expect(await eventually { await database.statementsInFlight() == 2 })
                let elapsed = try await seconds { () async throws in
                    #expect(try await TestDatabase.terminateBackends(of: application) == 1)
                    for task in [slow, queued] {
                        do {
                            _ = try await task.value
                            Issue.record("a statement on a terminated backend succeeded")
                        } catch {
                            #expect((error as? PostgresError)?.isConnectionFailure == true, "\(error)")
                        }
                    }
                }
                #expect(elapsed < 3)
            }
            #expect(try await database.query("SELECT 3 AS v").rows[0].int("v") == 3)
            #expect(database.stats.open == 1)
        }
    }

    @Test func pingIsFalseWithinTheTimeoutWhenTheServerIsDownOrHangs() async throws {
        let closed = try LoopbackSocket(listening: false)
        let hanging = try LoopbackSocket(listening: true)
        for port in [closed.port, hanging.port] {
            try await TestDatabase.withDatabase(url: "postgresql://postgres@127.0.0.1:\(port)/authserver", size: 2) { database, _ async throws in
                let elapsed = await seconds { #expect(await !database.ping(timeout: 1)) }
                #expect(elapsed < 2, "port \(port)")
                #expect(database.stats.open == 0)
            }
        }
    }

    @Test func shutdownFailsWaitersAndHoldersAndClosesEverySocket() async throws {
        let application = TestDatabase.uniqueName("shutdown")
        try await TestDatabase.withDatabase(size: 1, settings: PostgresConnectionSettings(applicationName: application)) { database, _ async throws in
            let (stream, release) = AsyncStream<Void>.makeStream()
            let holder = Task {
                try await database.withSession { session in
                    try await session.query("SELECT 1")
                    for await _ in stream {}
                    try await session.query("SELECT 2")
                }
            }
            #expect(await eventually { database.stats.inUse == 1 })
            let ports = try await TestDatabase.admin().query(
                "SELECT client_port FROM pg_stat_activity WHERE application_name = $1", [.text(application)]
            ).rows.map { try $0.int("client_port") }
            #expect(ports.count == 1)
            #expect(Set(ports).isSubset(of: OpenSockets.localPorts()), "the client's socket is open before shutdown")
            let waiter = Task { try await database.query("SELECT 3") }
            #expect(await eventually { database.stats.waiting == 1 })

            await database.shutdown()
            await #expect(throws: PostgresError.closed) { try await waiter.value }
            release.finish()
            await #expect(throws: PostgresError.closed) { try await holder.value }
            await #expect(throws: PostgresError.closed) { try await database.query("SELECT 4") }
            #expect(await !database.ping(timeout: 1))
            let stats = database.stats
            #expect(stats.size == 1 && stats.open == 0 && stats.inUse == 0 && stats.waiting == 0)
            #expect(Set(ports).isDisjoint(with: OpenSockets.localPorts()), "no socket is left open")
            #expect(await eventually { (try? await TestDatabase.backends(of: application)) == 0 })
        }
    }
}

/// The local ports of this process's open TCP sockets.
enum OpenSockets {
    static func localPorts() -> Set<Int> {
        var ports = Set<Int>()
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in descriptors.compactMap({ Int32($0) }) {
            var address = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let named = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
            }
            guard named == 0 else { continue }
            switch Int32(address.ss_family) {
            case AF_INET:
                let port = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_port } }
                ports.insert(Int(UInt16(bigEndian: port)))
            case AF_INET6:
                let port = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_port } }
                ports.insert(Int(UInt16(bigEndian: port)))
            default:
                continue
            }
        }
        return ports
    }
}
