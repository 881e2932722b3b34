import Foundation
import PostgresClient
import Testing

@Suite struct PostgresTransactionTests {
    private struct Abandon: Error {}

    private func count(_ connection: PostgresConnection) throws -> Int {
        try connection.query("SELECT count(*) AS n FROM ledger").rows[0].int("n")
    }

    @Test func commitKeepsEveryRow() throws {
        try TestDatabase.withSchema { url in
            let pool = PostgresPool(url: url, size: 2)
            defer { pool.shutdown() }
            try pool.withConnection { try $0.execute("CREATE TABLE ledger (n int)") }
            let returned = try pool.transaction { connection in
                try connection.query("INSERT INTO ledger VALUES ($1)", [1])
                try connection.query("INSERT INTO ledger VALUES ($1)", [2])
                return "done"
            }
            #expect(returned == "done")
            #expect(try pool.withConnection(count) == 2)
        }
    }

    @Test func rollbackOnThrowLeavesNoHalfWrittenRows() throws {
        try TestDatabase.withSchema { url in
            let pool = PostgresPool(url: url, size: 1)
            defer { pool.shutdown() }
            try pool.withConnection { try $0.execute("CREATE TABLE ledger (n int)") }
            #expect(throws: Abandon.self) {
                try pool.transaction { connection in
                    try connection.query("INSERT INTO ledger VALUES ($1)", [1])
                    throw Abandon()
                }
            }
            #expect(throws: PostgresError.self) {
                try pool.transaction { connection in
                    try connection.query("INSERT INTO ledger VALUES ($1)", [1])
                    try connection.query("INSERT INTO ledger VALUES ($1)", [.text("not a number")])
                }
            }
            #expect(try pool.withConnection(count) == 0)
            #expect(pool.stats.open == 1, "the connection was reused, not replaced")
        }
    }

    @Test func caughtStatementErrorStillFailsTheCommit() throws {
        try TestDatabase.withSchema { url in
            let connection = try PostgresConnection(url: url)
            try connection.execute("CREATE TABLE ledger (n int)")
            do {
                try connection.transaction { connection in
                    try connection.query("INSERT INTO ledger VALUES ($1)", [1])
                    _ = try? connection.query("SELECT 1 / 0")
                }
                Issue.record("an aborted transaction reported success")
            } catch let error as PostgresError {
                #expect(error.sqlState == "25P02")
            }
            #expect(try count(connection) == 0)
        }
    }

    @Test func failedCommitRollsBackAndRethrows() throws {
        try TestDatabase.withSchema { url in
            let connection = try PostgresConnection(url: url)
            try connection.execute("CREATE TABLE ledger (n int CONSTRAINT ledger_n_key UNIQUE DEFERRABLE INITIALLY DEFERRED)")
            do {
                try connection.transaction { connection in
                    try connection.query("INSERT INTO ledger VALUES ($1), ($1)", [7])
                }
                Issue.record("the deferred violation went unnoticed")
            } catch let error as PostgresError {
                #expect(error.isUniqueViolation)
                #expect(error.constraint == "ledger_n_key")
            }
            #expect(try count(connection) == 0)
            #expect(try connection.transaction { try $0.query("SELECT 1 AS one").rows[0].int("one") } == 1)
        }
    }

    @Test func isolationLevelApplies() throws {
        let pool = PostgresPool(url: try TestDatabase.url(), size: 1)
        defer { pool.shutdown() }
        let level = try pool.transaction(isolation: .serializable) { connection in
            try connection.query("SHOW transaction_isolation").rows[0].string(0)
        }
        #expect(level == "serializable")
    }

    @Test func transactionsDoNotNest() throws {
        let connection = try TestDatabase.adminConnection()
        #expect(throws: PostgresError.self) {
            try connection.transaction { connection in
                try connection.transaction { _ in }
            }
        }
        #expect(try connection.query("SELECT 1 AS one").rows[0].int("one") == 1)
    }

    @Test func poolRollsBackATransactionLeftOpen() throws {
        let pool = PostgresPool(url: try TestDatabase.url(), size: 1)
        defer { pool.shutdown() }
        try pool.withConnection { try $0.execute("BEGIN; CREATE TEMPORARY TABLE leaked (n int)") }
        let rolledBack = try pool.withConnection { connection in
            try connection.query("SELECT to_regclass('pg_temp.leaked') IS NULL AS gone").rows[0].bool("gone")
        }
        #expect(rolledBack, "the next caller must not inherit the open transaction")
        #expect(pool.stats.open == 1)
    }
}
