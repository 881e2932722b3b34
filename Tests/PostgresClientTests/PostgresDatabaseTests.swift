import Foundation
import PostgresClient
import Reactor
import Testing

@Suite struct PostgresDatabaseTests {
    @Test func enforcesSessionSettingsAndKeepsTheURLsOptions() async throws {
        try await TestDatabase.withSchema { url in
            let settings = PostgresConnectionSettings(statementTimeout: 1.5, applicationName: "settings-test")
            try await TestDatabase.withDatabase(url: url, settings: settings) { database, _ async throws in
                let row = try await database.query("""
                    SELECT current_setting('TimeZone') AS zone, current_setting('DateStyle') AS style,
                           current_setting('client_encoding') AS encoding, current_setting('application_name') AS app,
                           current_setting('statement_timeout') AS timeout, current_schema() AS schema
                    """).rows[0]
                #expect(try row.string("zone") == "UTC")
                #expect(try row.string("style").hasPrefix("ISO"))
                #expect(try row.string("encoding") == "UTF8")
                #expect(try row.string("app") == "settings-test")
                #expect(try row.string("timeout") == "1500ms")
                #expect(try row.string("schema").hasPrefix("schema_"))
            }
        }
    }

    @Test func uniqueViolationIsReportedWithItsConstraintButNotTheValue() async throws {
        try await TestDatabase.withSchema { url in
            try await TestDatabase.withDatabase(url: url) { database, _ async throws in
                try await database.query("CREATE TABLE accounts (email text CONSTRAINT accounts_email_key UNIQUE)")
                try await database.query("INSERT INTO accounts (email) VALUES ($1)", [.text("ada@example.com")])
                do throws(PostgresError) {
                    try await database.query("INSERT INTO accounts (email) VALUES ($1)", [.text("ada@example.com")])
                    Issue.record("the duplicate was accepted")
                } catch {
                    #expect(error.isUniqueViolation)
                    #expect(error.constraint == "accounts_email_key")
                    #expect(!error.description.contains("ada@example.com"))
                    #expect(!error.isConnectionFailure)
                }
            }
        }
    }

    @Test func statementErrorsLeaveTheConnectionUsable() async throws {
        try await TestDatabase.withDatabase(size: 1) { database, _ async throws in
            await #expect(throws: PostgresError.self) { try await database.query("SELEC 1") }
            await #expect(throws: PostgresError.self) { try await database.query("SELECT 1 / $1::int", [0]) }
            await #expect(throws: PostgresError.self) { try await database.withSession { try await $0.execute("SELECT * FROM no_such_table") } }
            do throws(PostgresError) {
                try await database.query("SELECT $1::uuid", [.text("not-a-uuid-secret")])
                Issue.record("a malformed uuid was accepted")
            } catch {
                #expect(error.sqlState == "22P02")
                #expect(!error.description.contains("secret"))
            }
            #expect(try await database.query("SELECT 1 / $1::int AS v", [1]).rows[0].int("v") == 1)
            #expect(database.stats.open == 1, "statement errors do not cost the connection")
        }
    }

    @Test func statementTimeoutCancelsQuicklyAndTheConnectionSurvives() async throws {
        try await TestDatabase.withDatabase(size: 1, settings: PostgresConnectionSettings(statementTimeout: 0.3)) { database, _ async throws in
            let elapsed = await seconds {
                do throws(PostgresError) {
                    try await database.query("SELECT pg_sleep(10)")
                    Issue.record("pg_sleep(10) was not cancelled")
                } catch {
                    #expect(error.isQueryCanceled)
                }
            }
            #expect(elapsed < 3)
            #expect(try await database.query("SELECT 2 AS v").rows[0].int("v") == 2)
            #expect(database.stats.open == 1)
        }
    }

    @Test func executeRunsSeveralStatementsAndCountsRows() async throws {
        try await TestDatabase.withSchema { url in
            try await TestDatabase.withDatabase(url: url) { database, _ async throws in
                try await database.withSession { session in
                    try await session.execute("CREATE TABLE items (n int); INSERT INTO items VALUES (1), (2), (3);")
                    #expect(try await session.query("UPDATE items SET n = n + 1 WHERE n >= $1", [2]).affectedRows == 2)
                }
                #expect(try await database.query("DELETE FROM items").affectedRows == 3)
                #expect(try await database.withSession { try await $0.execute("CREATE INDEX ON items (n)") }.affectedRows == 0)
                #expect(try await database.query("SELECT n FROM items").rows.isEmpty)
            }
        }
    }

    @Test func preparedStatementsSurviveATableChangingShape() async throws {
        try await TestDatabase.withSchema { url in
            try await TestDatabase.withDatabase(url: url, size: 1) { database, _ async throws in
                try await database.withSession { try await $0.execute("CREATE TABLE things (a int); INSERT INTO things VALUES (1)") }
                #expect(try await database.query("SELECT * FROM things").columns == ["a"])
                try await database.query("ALTER TABLE things ADD COLUMN b int")
                // The server refuses the cached plan once; the next call prepares afresh.
                _ = try? await database.query("SELECT * FROM things")
                #expect(try await database.query("SELECT * FROM things").columns == ["a", "b"])
            }
        }
    }

    @Test func refusedConnectionFailsFastWithoutLeakingThePassword() async throws {
        let closed = try LoopbackSocket(listening: false)
        try await TestDatabase.withDatabase(url: "postgresql://user:s3cret-pw@127.0.0.1:\(closed.port)/db") { database, _ async throws in
            let elapsed = await seconds {
                do throws(PostgresError) {
                    try await database.query("SELECT 1")
                    Issue.record("connected to a closed port")
                } catch {
                    #expect(error.isConnectionFailure)
                    #expect(!error.description.contains("s3cret-pw"))
                }
            }
            #expect(elapsed < 2)
            #expect(database.stats.open == 0)
        }
        let group = try EventLoopGroup(name: "pg-bad-url", count: 1)
        defer { group.shutdown() }
        do {
            _ = try PostgresDatabase(url: "postgresql://user:s3cret-pw@[bad", group: group, size: 1)
            Issue.record("a malformed URL was accepted")
        } catch {
            #expect(!error.description.contains("s3cret-pw"))
        }
    }

    @Test func shutDownDatabaseThrowsClosed() async throws {
        try await TestDatabase.withDatabase { database, _ async throws in
            try await database.query("SELECT 1")
            await database.shutdown()
            do throws(PostgresError) {
                try await database.query("SELECT 1")
                Issue.record("a shut-down database ran a query")
            } catch {
                guard case .closed = error else {
                    Issue.record("expected .closed, got \(error)")
                    return
                }
            }
        }
    }

    @Test func queriesFromALoopTaskRunOnThatLoop() async throws {
        try await TestDatabase.withDatabase(loops: 2) { database, group async throws in
            let loop = group.loops[1]
            let stayed = try await Task(executorPreference: loop) { () async throws -> Bool in
                var onLoop = loop.isCurrent
                for _ in 0..<5 {
                    try await database.query("SELECT 1")
                    onLoop = onLoop && loop.isCurrent
                }
                try await database.transaction { transaction in
                    try await transaction.query("SELECT 1")
                    onLoop = onLoop && loop.isCurrent
                }
                return onLoop && loop.isCurrent
            }.value
            #expect(stayed, "the task never left its loop")
            #expect(database.stats.open == 1, "only the caller's loop opened a connection")
        }
    }
}
