import Foundation
import PostgresClient
import Testing

@Suite struct PostgresConnectionTests {
    @Test func enforcesSessionSettingsAndKeepsTheURLsOptions() throws {
        try TestDatabase.withSchema { url in
            let connection = try PostgresConnection(
                url: url, settings: PostgresConnectionSettings(statementTimeout: 1.5, applicationName: "settings-test")
            )
            let row = try connection.query("""
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

    @Test func uniqueViolationIsReportedWithItsConstraintButNotTheValue() throws {
        try TestDatabase.withSchema { url in
            let connection = try PostgresConnection(url: url)
            try connection.execute("CREATE TABLE accounts (email text CONSTRAINT accounts_email_key UNIQUE)")
            try connection.query("INSERT INTO accounts (email) VALUES ($1)", [.text("ada@example.com")])
            do {
                try connection.query("INSERT INTO accounts (email) VALUES ($1)", [.text("ada@example.com")])
                Issue.record("the duplicate was accepted")
            } catch let error as PostgresError {
                #expect(error.isUniqueViolation)
                #expect(error.constraint == "accounts_email_key")
                #expect(!error.description.contains("ada@example.com"))
                #expect(!error.isConnectionFailure)
            }
        }
    }

    @Test func statementErrorsLeaveTheConnectionUsable() throws {
        let connection = try TestDatabase.adminConnection()
        #expect(throws: PostgresError.self) { try connection.query("SELEC 1") }
        #expect(throws: PostgresError.self) { try connection.query("SELECT 1 / $1::int", [0]) }
        #expect(throws: PostgresError.self) { try connection.execute("SELECT * FROM no_such_table") }
        do {
            try connection.query("SELECT $1::uuid", [.text("not-a-uuid-secret")])
            Issue.record("a malformed uuid was accepted")
        } catch {
            #expect(error.sqlState == "22P02")
            #expect(!error.description.contains("secret"))
        }
        #expect(connection.isOpen)
        #expect(try connection.query("SELECT 1 / $1::int AS v", [1]).rows[0].int("v") == 1)
    }

    @Test func statementTimeoutCancelsQuicklyAndTheConnectionSurvives() throws {
        let connection = try PostgresConnection(url: TestDatabase.url(), settings: PostgresConnectionSettings(statementTimeout: 0.3))
        let started = Date()
        do {
            try connection.query("SELECT pg_sleep(10)")
            Issue.record("pg_sleep(10) was not cancelled")
        } catch {
            #expect(error.isQueryCanceled)
        }
        #expect(Date().timeIntervalSince(started) < 3)
        #expect(try connection.query("SELECT 2 AS v").rows[0].int("v") == 2)
    }

    @Test func executeRunsSeveralStatementsAndCountsRows() throws {
        try TestDatabase.withSchema { url in
            let connection = try PostgresConnection(url: url)
            try connection.execute("CREATE TABLE items (n int); INSERT INTO items VALUES (1), (2), (3);")
            #expect(try connection.query("UPDATE items SET n = n + 1 WHERE n >= $1", [2]).affectedRows == 2)
            #expect(try connection.query("DELETE FROM items").affectedRows == 3)
            #expect(try connection.execute("CREATE INDEX ON items (n)").affectedRows == 0)
            #expect(try connection.query("SELECT n FROM items").rows.isEmpty)
        }
    }

    @Test func preparedStatementsSurviveATableChangingShape() throws {
        try TestDatabase.withSchema { url in
            let connection = try PostgresConnection(url: url)
            try connection.execute("CREATE TABLE things (a int); INSERT INTO things VALUES (1)")
            #expect(try connection.query("SELECT * FROM things").columns == ["a"])
            try connection.execute("ALTER TABLE things ADD COLUMN b int")
            // The server refuses the cached plan once; the next call prepares afresh.
            _ = try? connection.query("SELECT * FROM things")
            #expect(try connection.query("SELECT * FROM things").columns == ["a", "b"])
        }
    }

    @Test func refusedConnectionFailsFastWithoutLeakingThePassword() throws {
        let closed = try LoopbackSocket(listening: false)
        let started = Date()
        do {
            _ = try PostgresConnection(url: "postgresql://user:s3cret-pw@127.0.0.1:\(closed.port)/db")
            Issue.record("connected to a closed port")
        } catch {
            #expect(error.isConnectionFailure)
            #expect(!error.description.contains("s3cret-pw"))
        }
        #expect(Date().timeIntervalSince(started) < 2)
        #expect(throws: PostgresError.self) { _ = try PostgresConnection(url: "postgresql://user:s3cret-pw@[bad") }
    }

    @Test func closedConnectionThrowsClosed() throws {
        let connection = try TestDatabase.adminConnection()
        connection.close()
        #expect(!connection.isOpen)
        do {
            try connection.query("SELECT 1")
            Issue.record("a closed connection ran a query")
        } catch {
            guard case .closed = error else {
                Issue.record("expected .closed, got \(error)")
                return
            }
        }
    }
}
