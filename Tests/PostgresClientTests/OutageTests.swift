import Foundation
import PostgresClient
import Reactor
import Testing
import TestSockets

/// The database going away under a running pool, through a proxy the test cuts: errors come
/// within seconds, and the pool recovers by itself once the database is back.
@Suite struct OutageTests {
    private func withProxiedDatabase(
        settings: PostgresConnectionSettings = PostgresConnectionSettings(connectTimeout: 1),
        _ body: (PostgresDatabase, TCPProxy) async throws -> Void
    ) async throws {
        let proxy = try TCPProxy(targetPort: try TestDatabase.port())
        defer { proxy.close() }
        try await TestDatabase.withDatabase(url: proxy.url(for: try TestDatabase.url()), size: 2, settings: settings, acquireTimeout: 2) { database, _ async throws in
            try await body(database, proxy)
        }
    }

    @Test func outageAnswersErrorsWithinSecondsAndRecoversWithoutARestart() async throws {
        try await withProxiedDatabase { database, proxy async throws in
            #expect(try await database.query("SELECT 1 AS v").rows[0].int("v") == 1)
            #expect(await database.ping(timeout: 1))

            proxy.cut()
            let failing = await seconds {
                for _ in 0..<3 {
                    do throws(PostgresError) {
                        try await database.query("SELECT 1")
                        Issue.record("a query succeeded during the outage")
                    } catch {
                        #expect(error.isConnectionFailure, "\(error)")
                    }
                }
                await #expect(throws: PostgresError.self) { try await database.transaction { try await $0.query("SELECT 1") } }
            }
            #expect(failing < 5, "errors come quickly, not after timeouts pile up")
            let pinging = await seconds { #expect(await !database.ping(timeout: 0.5)) }
            #expect(pinging < 1.5)

            proxy.restore()
            #expect(await eventually { (try? await database.query("SELECT 2 AS v").rows[0].int("v")) == 2 })
            #expect(try await database.transaction { try await $0.query("SELECT 3 AS v").rows[0].int("v") } == 3)
            #expect(await database.ping(timeout: 1))
        }
    }

    @Test func silentPartitionFailsAtTheClientDeadlineAndRecovers() async throws {
        let settings = PostgresConnectionSettings(connectTimeout: 1, statementTimeout: 0.3, responseTimeoutMargin: 0.3)
        try await withProxiedDatabase(settings: settings) { database, proxy async throws in
            try await database.query("SELECT 1")
            proxy.freeze()
            let elapsed = await seconds {
                do throws(PostgresError) {
                    try await database.query("SELECT 1")
                    Issue.record("a query was answered through a frozen link")
                } catch {
                    #expect(error.isConnectionFailure, "\(error)")
                }
            }
            #expect(elapsed >= 0.5 && elapsed < 3, "gave up at statement timeout plus margin, not never: \(elapsed)")
            #expect(database.stats.open <= 1)
            proxy.restore()
            #expect(try await database.query("SELECT 4 AS v").rows[0].int("v") == 4)
        }
    }
}
