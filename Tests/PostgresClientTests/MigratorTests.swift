import Foundation
import PostgresClient
import Testing

@Suite struct MigratorTests {
    /// A fresh directory of migration files, removed afterwards.
    @discardableResult
    private func withMigrations<Value>(_ files: [String: String], _ body: (_ directory: String) throws -> Value) throws -> Value {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(TestDatabase.uniqueName("migrations")).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for (name, sql) in files {
            try write(sql, to: name, in: directory)
        }
        return try body(directory)
    }

    private func write(_ sql: String, to name: String, in directory: String) throws {
        try sql.write(toFile: (directory as NSString).appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    private let widgets = "CREATE TABLE widgets (id integer PRIMARY KEY);\n"
    /// `sha256sum` of `widgets`.
    private let widgetsChecksum = "2ad1cb62c03a0996d95d3d6e631fdf461aed49e92ea6eacaba0cfc6b7f4245ac"

    @Test func appliesEachOnceInOrderAndRecordsChecksums() throws {
        try TestDatabase.withSchema { url in
            let pool = PostgresPool(url: url, size: 2)
            defer { pool.shutdown() }
            let files = [
                "0002_gadgets.sql": "CREATE TABLE gadgets (widget_id integer REFERENCES widgets (id));",
                "0001_widgets.sql": widgets,
                "README.md": "not a migration",
            ]
            try withMigrations(files) { directory in
                let migrator = Migrator(directory: directory)
                #expect(try migrator.pending(on: pool) == ["0001_widgets.sql", "0002_gadgets.sql"])
                #expect(try migrator.migrate(pool) == ["0001_widgets.sql", "0002_gadgets.sql"])
                #expect(try migrator.migrate(pool) == [])
                #expect(try migrator.pending(on: pool) == [])

                let recorded = try pool.withConnection {
                    try $0.query("SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version").rows
                }
                #expect(try recorded.map { try $0.int("version") } == [1, 2])
                #expect(try recorded[0].string("name") == "0001_widgets.sql")
                #expect(try recorded[0].string("checksum") == widgetsChecksum)
                #expect(try abs(recorded[0].date("applied_at").timeIntervalSinceNow) < 60)
            }
        }
    }

    @Test func editedAppliedFileFailsNamingIt() throws {
        try TestDatabase.withSchema { url in
            let pool = PostgresPool(url: url, size: 1)
            defer { pool.shutdown() }
            try withMigrations(["0001_widgets.sql": widgets]) { directory in
                let migrator = Migrator(directory: directory)
                try migrator.migrate(pool)
                try write(widgets + "-- edited\n", to: "0001_widgets.sql", in: directory)
                try write("CREATE TABLE later (n int);", to: "0002_later.sql", in: directory)
                do {
                    try migrator.migrate(pool)
                    Issue.record("an edited migration was accepted")
                } catch {
                    #expect("\(error)".contains("0001_widgets.sql"))
                }
                let later = try pool.withConnection { try $0.query("SELECT to_regclass('later') IS NULL AS absent").rows[0].bool("absent") }
                #expect(later, "nothing runs after a checksum mismatch")
            }
        }
    }

    @Test func failingMigrationLeavesNoTraceAndNamesTheFile() throws {
        try TestDatabase.withSchema { url in
            let pool = PostgresPool(url: url, size: 1)
            defer { pool.shutdown() }
            let files = ["0001_widgets.sql": widgets, "0002_broken.sql": "CREATE TABLE half (n int);\nSELECT * FROM nowhere;"]
            try withMigrations(files) { directory in
                do {
                    try Migrator(directory: directory).migrate(pool)
                    Issue.record("a broken migration was applied")
                } catch {
                    #expect("\(error)".contains("0002_broken.sql"))
                }
                let state = try pool.withConnection { connection in
                    try connection.query("SELECT to_regclass('half') IS NULL AS absent, (SELECT count(*) FROM schema_migrations) AS applied").rows[0]
                }
                #expect(try state.bool("absent"))
                #expect(try state.int("applied") == 1)
            }
        }
    }

    @Test func migrationMissingOnDiskIsOnlyAWarning() throws {
        try TestDatabase.withSchema { url in
            let pool = PostgresPool(url: url, size: 1)
            defer { pool.shutdown() }
            try withMigrations(["0001_widgets.sql": widgets, "0002_extra.sql": "CREATE TABLE extra (n int);"]) { directory in
                try Migrator(directory: directory).migrate(pool)
                try FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent("0002_extra.sql"))
                #expect(try Migrator(directory: directory).migrate(pool) == [])
            }
        }
    }

    @Test func badFileNamesAreRejected() throws {
        let pool = PostgresPool(url: try TestDatabase.url(), size: 1)
        defer { pool.shutdown() }
        for name in ["widgets.sql", "0001_.sql", "+001_widgets.sql"] {
            try withMigrations([name: widgets]) { directory in
                #expect(throws: MigrationError.self) { try Migrator(directory: directory).pending(on: pool) }
            }
        }
        try withMigrations(["0001_a.sql": widgets, "1_b.sql": widgets]) { directory in
            #expect(throws: MigrationError.self) { try Migrator(directory: directory).pending(on: pool) }
        }
    }

    @Test func concurrentMigratorsApplyEachMigrationExactlyOnce() throws {
        try TestDatabase.withSchema { url in
            let files = [
                "0001_log.sql": "CREATE TABLE applied_log (version int);",
                "0002_slow.sql": "SELECT pg_sleep(0.3); INSERT INTO applied_log VALUES (2);",
                "0003_more.sql": "INSERT INTO applied_log VALUES (3);",
            ]
            try withMigrations(files) { directory in
                let results = Locked([[String]]())
                let failures = Locked([String]())
                runOnThreads(2) { _ in
                    let pool = PostgresPool(url: url, size: 1)
                    defer { pool.shutdown() }
                    do {
                        let applied = try Migrator(directory: directory).migrate(pool)
                        results.withValue { $0.append(applied) }
                    } catch {
                        failures.withValue { $0.append("\(error)") }
                    }
                }
                #expect(failures.current.isEmpty)
                #expect(results.current.flatMap { $0 }.sorted() == ["0001_log.sql", "0002_slow.sql", "0003_more.sql"])
                let logged = try PostgresConnection(url: url).query("SELECT version FROM applied_log ORDER BY version").rows
                #expect(try logged.map { try $0.int("version") } == [2, 3])
            }
        }
    }

    @Test func projectMigrationsApplyToAnEmptyDatabase() throws {
        let migrations = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Migrations").path
        try TestDatabase.withDatabase { url in
            let pool = PostgresPool(url: url, size: 2)
            defer { pool.shutdown() }
            let applied = try Migrator(directory: migrations).migrate(pool)
            #expect(applied.first == "0001_users_and_sessions.sql")
            #expect(try Migrator(directory: migrations).pending(on: pool) == [])

            try pool.transaction { connection in
                let user = try connection.query(
                    "INSERT INTO users (email, password_hash) VALUES ($1, $2) RETURNING id, role, is_active, files_uploaded",
                    [.text("ada@example.com"), .text("$2b$12$hash")]
                ).rows[0]
                #expect(try user.string("role") == "CANDIDATE")
                #expect(try user.bool("is_active"))
                let session = try connection.query(
                    "INSERT INTO sessions (user_id, expires_at) VALUES ($1, now() + interval '30 days') RETURNING id",
                    [.uuid(try user.uuid("id"))]
                ).rows[0]
                try connection.query(
                    "INSERT INTO refresh_tokens (session_id, token_hash, expires_at) VALUES ($1, $2, now() + interval '7 days')",
                    [.uuid(try session.uuid("id")), .bytes(Array(repeating: 1, count: 32))]
                )
            }
            try pool.withConnection { connection in
                let duplicate = #expect(throws: PostgresError.self) {
                    try connection.query("INSERT INTO users (email, password_hash) VALUES ($1, 'x')", [.text("ada@example.com")])
                }
                #expect(duplicate?.constraint == "users_email_key")
                #expect(throws: PostgresError.self) {
                    try connection.query("INSERT INTO users (email, password_hash) VALUES ($1, 'x')", [.text(" Ada@Example.com")])
                }
                #expect(throws: PostgresError.self) {
                    try connection.query("INSERT INTO users (email, password_hash, role) VALUES ('b@example.com', 'x', 'ROOT')")
                }
                try connection.query("DELETE FROM users WHERE email = $1", [.text("ada@example.com")])
                let left = try connection.query("SELECT (SELECT count(*) FROM sessions) + (SELECT count(*) FROM refresh_tokens) AS n")
                #expect(try left.rows[0].int("n") == 0, "deleting a user cascades to its sessions and tokens")
            }
        }
    }
}
