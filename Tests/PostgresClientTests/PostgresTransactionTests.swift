import Foundation
import PostgresClient
import Reactor
import Testing

@Suite struct PostgresTransactionTests {
    private struct Abandon: Error {}

    private func count(_ database: PostgresDatabase) async throws -> Int {
        try await database.query("SELECT count(*) AS n FROM ledger").rows[0].int("n")
    }

    /// A database in a fresh schema holding an empty `ledger` table.
    private func withLedger(
        size: Int = 2, _ definition: String = "n int", _ body: (PostgresDatabase) async throws -> Void
    ) async throws {
        try await TestDatabase.withSchema { url in
            try await TestDatabase.withDatabase(url: url, size: size) { database, _ async throws in
                try await database.query("CREATE TABLE ledger (\(definition))")
                try await body(database)
            }
        }
    }

    @Test func commitKeepsEveryRow() async throws {
        try await withLedger { database async throws in
            let returned = try await database.transaction { transaction in
                try await transaction.query("INSERT INTO ledger VALUES ($1)", [1])
                try await transaction.query("INSERT INTO ledger VALUES ($1)", [2])
                return "done"
            }
            #expect(returned == "done")
            #expect(try await count(database) == 2)
        }
    }

    @Test func rollbackOnThrowLeavesNoHalfWrittenRows() async throws {
        try await withLedger(size: 1) { database async throws in
            await #expect(throws: Abandon.self) {
                try await database.transaction { transaction in
                    try await transaction.query("INSERT INTO ledger VALUES ($1)", [1])
                    throw Abandon()
                }
            }
            await #expect(throws: PostgresError.self) {
                try await database.transaction { transaction in
                    try await transaction.query("INSERT INTO ledger VALUES ($1)", [1])
                    try await transaction.query("INSERT INTO ledger VALUES ($1)", [.text("not a number")])
                }
            }
            #expect(try await count(database) == 0)
            #expect(database.stats.open == 1, "the connection was reused, not replaced")
        }
    }

    @Test func caughtStatementErrorStillFailsTheCommit() async throws {
        try await withLedger { database async throws in
            do {
                try await database.transaction { transaction in
                    try await transaction.query("INSERT INTO ledger VALUES ($1)", [1])
                    _ = try? await transaction.query("SELECT 1 / 0")
                }
                Issue.record("an aborted transaction reported success")
            } catch let error as PostgresError {
                #expect(error.sqlState == "25P02")
            }
            #expect(try await count(database) == 0)
        }
    }

    @Test func failedCommitRollsBackAndRethrows() async throws {
        try await withLedger(size: 1, "n int CONSTRAINT ledger_n_key UNIQUE DEFERRABLE INITIALLY DEFERRED") { database async throws in
            do {
                try await database.transaction { transaction in
                    try await transaction.query("INSERT INTO ledger VALUES ($1), ($1)", [7])
                }
                Issue.record("the deferred violation went unnoticed")
            } catch let error as PostgresError {
                #expect(error.isUniqueViolation)
                #expect(error.constraint == "ledger_n_key")
            }
            #expect(try await count(database) == 0)
            #expect(try await database.transaction { try await $0.query("SELECT 1 AS one").rows[0].int("one") } == 1)
            #expect(database.stats.open == 1)
        }
    }

    @Test(arguments: [
        (PostgresIsolationLevel?.none, "read committed"),
        (.readCommitted, "read committed"),
        (.repeatableRead, "repeatable read"),
        (.serializable, "serializable"),
    ])
    func isolationLevelApplies(level: PostgresIsolationLevel?, shown: String) async throws {
        try await TestDatabase.withDatabase(size: 1) { database, _ async throws in
            let current = try await database.transaction(isolation: level) { transaction in
                try await transaction.query("SHOW transaction_isolation").rows[0].string(0)
            }
            #expect(current == shown)
        }
    }

    @Test func serializationFailureIsReportedAsSuch() async throws {
        try await withLedger(size: 2, "id int PRIMARY KEY, n int") { database async throws in
            try await database.query("INSERT INTO ledger VALUES (1, 0)")
            let error = await #expect(throws: PostgresError.self) {
                try await database.transaction(isolation: .repeatableRead) { transaction in
                    _ = try await transaction.query("SELECT n FROM ledger WHERE id = 1")
                    // Another connection commits a change to the row this snapshot already read.
                    try await database.query("UPDATE ledger SET n = n + 1 WHERE id = 1")
                    try await transaction.query("UPDATE ledger SET n = n + 10 WHERE id = 1")
                }
            }
            #expect(error?.isSerializationFailure == true)
            #expect(try await database.query("SELECT n FROM ledger").rows[0].int("n") == 1)
        }
    }

    @Test func nothingHalfWrittenIsVisibleToOthers() async throws {
        try await withLedger(size: 2) { database async throws in
            try await database.transaction { transaction in
                try await transaction.query("INSERT INTO ledger VALUES ($1)", [1])
                #expect(try await transaction.query("SELECT count(*) AS n FROM ledger").rows[0].int("n") == 1)
                #expect(try await count(database) == 0, "another connection does not see the uncommitted row")
            }
            #expect(try await count(database) == 1)
        }
    }

    @Test func transactionsDoNotNestInASession() async throws {
        try await TestDatabase.withDatabase(size: 1) { database, _ async throws in
            try await database.withSession { session async throws in
                await #expect(throws: PostgresError.self) {
                    try await session.transaction { _ in
                        try await session.transaction { _ in }
                    }
                }
                #expect(try await session.query("SELECT 1 AS one").rows[0].int("one") == 1)
            }
        }
    }

    @Test func sessionLeftInsideATransactionIsRolledBackAndReset() async throws {
        try await TestDatabase.withDatabase(size: 1) { database, _ async throws in
            try await database.withSession { session async throws in
                try await session.execute("BEGIN; CREATE TEMPORARY TABLE leaked (n int); SET TimeZone = 'Asia/Kolkata'")
            }
            try await database.withSession { session async throws in
                try await session.execute("SET work_mem = '1MB'; CREATE TEMPORARY TABLE kept_too_long (n int)")
                try await session.query("SELECT pg_advisory_lock(42)")
            }
            let row = try await database.query("""
                SELECT to_regclass('pg_temp.leaked') IS NULL AS gone, to_regclass('pg_temp.kept_too_long') IS NULL AS dropped,
                       current_setting('TimeZone') AS zone, current_setting('work_mem') AS memory,
                       (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()) AS locks
                """).rows[0]
            #expect(try row.bool("gone"), "the next caller must not inherit the open transaction")
            #expect(try row.bool("dropped"), "temporary tables do not outlive the session")
            #expect(try row.string("zone") == "UTC")
            #expect(try row.string("memory") != "1MB")
            #expect(try row.int("locks") == 0)
            #expect(database.stats.open == 1)
        }
    }

    @Test func transactionHandleFromAnotherTaskStillRunsOnItsConnection() async throws {
        try await withLedger(size: 1) { database async throws in
            try await database.transaction { transaction in
                // An unstructured task does not inherit the loop; the handle hops there itself.
                _ = try await Task.detached { try await transaction.query("INSERT INTO ledger VALUES (5)") }.value
                #expect(try await transaction.query("SELECT count(*) AS n FROM ledger").rows[0].int("n") == 1)
            }
            #expect(try await count(database) == 1)
        }
    }
}
