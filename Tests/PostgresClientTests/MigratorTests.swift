import Foundation
import PostgresClient
import Testing

@Suite struct MigratorTests {
    /// A fresh directory of migration files, removed afterwards.
    @discardableResult
    private func withMigrations<Value>(_ files: [String: String], _ body: (_ directory: String) async throws -> Value) async throws -> Value {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(TestDatabase.uniqueName("migrations")).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for (name, sql) in files {
            try write(sql, to: name, in: directory)
        }
        return try await body(directory)
    }

    private func write(_ sql: String, to name: String, in directory: String) throws {
        try sql.write(toFile: (directory as NSString).appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    /// A database in a fresh schema, and a directory holding `files`.
    private func withSchemaAndMigrations(
        _ files: [String: String], size: Int = 1, _ body: (PostgresDatabase, _ directory: String) async throws -> Void
    ) async throws {
        try await TestDatabase.withSchema { url in
            try await TestDatabase.withDatabase(url: url, size: size) { database, _ async throws in
                try await withMigrations(files) { directory in try await body(database, directory) }
            }
        }
    }

    private let widgets = "CREATE TABLE widgets (id integer PRIMARY KEY);\n"
    /// `sha256sum` of `widgets`.
    private let widgetsChecksum = "2ad1cb62c03a0996d95d3d6e631fdf461aed49e92ea6eacaba0cfc6b7f4245ac"

    @Test func appliesEachOnceInOrderAndRecordsChecksums() async throws {
        let files = [
            "0002_gadgets.sql": "CREATE TABLE gadgets (widget_id integer REFERENCES widgets (id));",
            "0001_widgets.sql": widgets,
            "README.md": "not a migration",
        ]
        try await withSchemaAndMigrations(files, size: 2) { database, directory async throws in
            let migrator = Migrator(directory: directory)
            #expect(try await migrator.pending(on: database) == ["0001_widgets.sql", "0002_gadgets.sql"])
            #expect(try await migrator.migrate(database) == ["0001_widgets.sql", "0002_gadgets.sql"])
            #expect(try await migrator.migrate(database) == [])
            #expect(try await migrator.pending(on: database) == [])

            let recorded = try await database.query("SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version").rows
            #expect(try recorded.map { try $0.int("version") } == [1, 2])
            #expect(try recorded[0].string("name") == "0001_widgets.sql")
            #expect(try recorded[0].string("checksum") == widgetsChecksum)
            #expect(try abs(recorded[0].date("applied_at").timeIntervalSinceNow) < 60)
            let timeout = try await database.query("SELECT current_setting('statement_timeout') AS t").rows[0].string("t")
            #expect(timeout == "5s", "the migration session's timeout does not leak to other work")
        }
    }

    @Test func editedAppliedFileFailsNamingIt() async throws {
        try await withSchemaAndMigrations(["0001_widgets.sql": widgets]) { database, directory async throws in
            let migrator = Migrator(directory: directory)
            try await migrator.migrate(database)
            try write(widgets + "-- edited\n", to: "0001_widgets.sql", in: directory)
            try write("CREATE TABLE later (n int);", to: "0002_later.sql", in: directory)
            do {
                try await migrator.migrate(database)
                Issue.record("an edited migration was accepted")
            } catch {
                #expect("\(error)".contains("0001_widgets.sql"))
            }
            let later = try await database.query("SELECT to_regclass('later') IS NULL AS absent").rows[0].bool("absent")
            #expect(later, "nothing runs after a checksum mismatch")
        }
    }

    @Test func failingMigrationLeavesNoTraceAndNamesTheFile() async throws {
        let files = ["0001_widgets.sql": widgets, "0002_broken.sql": "CREATE TABLE half (n int);\nSELECT * FROM nowhere;"]
        try await withSchemaAndMigrations(files) { database, directory async throws in
            do {
                try await Migrator(directory: directory).migrate(database)
                Issue.record("a broken migration was applied")
            } catch {
                #expect("\(error)".contains("0002_broken.sql"))
            }
            let state = try await database.query(
                "SELECT to_regclass('half') IS NULL AS absent, (SELECT count(*) FROM schema_migrations) AS applied"
            ).rows[0]
            #expect(try state.bool("absent"))
            #expect(try state.int("applied") == 1)
            // One connection: the one the failed run used.
            let locks = try await database.query("SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()").rows[0].int("n")
            #expect(locks == 0, "the failed run released its lock")
            #expect(database.stats.open == 1)
        }
    }

    @Test func migrationMissingOnDiskIsOnlyAWarning() async throws {
        try await withSchemaAndMigrations(["0001_widgets.sql": widgets, "0002_extra.sql": "CREATE TABLE extra (n int);"]) { database, directory async throws in
            try await Migrator(directory: directory).migrate(database)
            try FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent("0002_extra.sql"))
            #expect(try await Migrator(directory: directory).migrate(database) == [])
        }
    }

    @Test func badFileNamesAreRejected() async throws {
        try await TestDatabase.withDatabase(size: 1) { database, _ async throws in
            for name in ["widgets.sql", "0001_.sql", "+001_widgets.sql"] {
                try await withMigrations([name: widgets]) { directory in
                    await #expect(throws: MigrationError.self) { try await Migrator(directory: directory).pending(on: database) }
                }
            }
            try await withMigrations(["0001_a.sql": widgets, "1_b.sql": widgets]) { directory in
                await #expect(throws: MigrationError.self) { try await Migrator(directory: directory).pending(on: database) }
            }
        }
    }

    @Test func concurrentMigratorsApplyEachMigrationExactlyOnce() async throws {
        let files = [
            "0001_log.sql": "CREATE TABLE applied_log (version int);",
            "0002_slow.sql": "SELECT pg_sleep(0.3); INSERT INTO applied_log VALUES (2);",
            "0003_more.sql": "INSERT INTO applied_log VALUES (3);",
        ]
        try await TestDatabase.withSchema { url in
            try await withMigrations(files) { directory in
                // Two instances: a database (and event loop) each, as two processes would have.
                let results = try await withThrowingTaskGroup(of: [String].self) { tasks in
                    for _ in 0..<2 {
                        tasks.addTask {
                            try await TestDatabase.withDatabase(url: url, size: 1) { database, _ async throws in
                                try await Migrator(directory: directory).migrate(database)
                            }
                        }
                    }
                    return try await tasks.reduce(into: [[String]]()) { $0.append($1) }
                }
                #expect(results.flatMap { $0 }.sorted() == ["0001_log.sql", "0002_slow.sql", "0003_more.sql"])
                try await TestDatabase.withDatabase(url: url, size: 1) { database, _ async throws in
                    let logged = try await database.query("SELECT version FROM applied_log ORDER BY version").rows
                    #expect(try logged.map { try $0.int("version") } == [2, 3])
                }
            }
        }
    }

    @Test func projectMigrationsApplyToAnEmptyDatabase() async throws {
        let migrations = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Migrations").path
        try await TestDatabase.withEmptyDatabase { url in
            try await TestDatabase.withDatabase(url: url, size: 2) { database, _ async throws in
                let applied = try await Migrator(directory: migrations).migrate(database)
                #expect(applied.first == "0001_users_and_sessions.sql")
                #expect(try await Migrator(directory: migrations).pending(on: database) == [])

                try await database.transaction { transaction in
                    let user = try await transaction.query(
                        "INSERT INTO users (email, password_hash) VALUES ($1, $2) RETURNING id, role, is_active, files_uploaded",
                        [.text("ada@example.com"), .text("$2b$12$hash")]
                    ).rows[0]
                    #expect(try user.string("role") == "CANDIDATE")
                    #expect(try user.bool("is_active"))
                    let session = try await transaction.query(
                        "INSERT INTO sessions (user_id, expires_at) VALUES ($1, now() + interval '30 days') RETURNING id",
                        [.uuid(try user.uuid("id"))]
                    ).rows[0]
                    try await transaction.query(
                        "INSERT INTO refresh_tokens (session_id, token_hash, expires_at) VALUES ($1, $2, now() + interval '7 days')",
                        [.uuid(try session.uuid("id")), .bytes(Array(repeating: 1, count: 32))]
                    )
                }
                let duplicate = await #expect(throws: PostgresError.self) {
                    try await database.query("INSERT INTO users (email, password_hash) VALUES ($1, 'x')", [.text("ada@example.com")])
                }
                #expect(duplicate?.constraint == "users_email_key")
                await #expect(throws: PostgresError.self) {
                    try await database.query("INSERT INTO users (email, password_hash) VALUES ($1, 'x')", [.text(" Ada@Example.com")])
                }
                await #expect(throws: PostgresError.self) {
                    try await database.query("INSERT INTO users (email, password_hash, role) VALUES ('b@example.com', 'x', 'ROOT')")
                }
                try await database.query("DELETE FROM users WHERE email = $1", [.text("ada@example.com")])
                let left = try await database.query("SELECT (SELECT count(*) FROM sessions) + (SELECT count(*) FROM refresh_tokens) AS n")
                #expect(try left.rows[0].int("n") == 0, "deleting a user cascades to its sessions and tokens")
            }
        }
    }
}
