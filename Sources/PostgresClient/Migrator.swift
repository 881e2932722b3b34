import Foundation
import Logging

/// Applies the SQL migrations of a directory, each once, in version order.
///
/// Files are named `NNNN_description.sql`. Each runs in its own transaction (so it must not hold
/// BEGIN/COMMIT, nor statements that refuse transactions, like CREATE INDEX CONCURRENTLY) and
/// is recorded in `schema_migrations` with the SHA-256 of its bytes. Statement timeouts do not
/// apply during a run.
///
/// - An applied file whose bytes changed is an error naming the file.
/// - A migration recorded in the database but missing on disk is logged as a warning, not an
///   error: the previous release must still start against a database a newer one migrated
///   (rollback of a deploy).
/// - Several instances starting at once serialize on an advisory lock held for the whole run on
///   one connection, so each migration is applied exactly once.
public final class Migrator: Sendable {
    /// `pg_advisory_lock` key shared by every instance: "authmigr" in ASCII.
    public static let advisoryLockKey = 0x6175_7468_6d69_6772

    private let directory: String
    private let logger: Logger

    public init(directory: String, logger: Logger = Logger(label: "PostgresClient.Migrator")) {
        self.directory = directory
        self.logger = logger
    }

    /// File names of the migrations not applied yet, in the order `migrate` would apply them.
    public func pending(on pool: PostgresPool) throws -> [String] {
        let files = try MigrationFile.load(from: directory)
        let applied = try pool.withConnection { connection in
            let exists = try connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS present")
            return try exists.rows[0].bool("present") ? try appliedChecksums(on: connection) : [:]
        }
        return files.filter { applied[$0.version] == nil }.map(\.name)
    }

    /// Applies pending migrations; returns the file names applied, in order.
    @discardableResult
    public func migrate(_ pool: PostgresPool) throws -> [String] {
        let files = try MigrationFile.load(from: directory)
        return try pool.withConnection { connection in
            // A migration may outlast the statement timeout, and so may waiting for another
            // instance's run.
            try connection.execute("SET statement_timeout = 0")
            defer { _ = try? connection.execute("RESET statement_timeout") }
            try connection.query("SELECT pg_advisory_lock($1)", [.int(Self.advisoryLockKey)])
            defer { _ = try? connection.query("SELECT pg_advisory_unlock($1)", [.int(Self.advisoryLockKey)]) }

            try connection.execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    checksum text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
            let applied = try appliedChecksums(on: connection)
            try verify(files, against: applied, on: connection)
            var appliedNow: [String] = []
            for file in files where applied[file.version] == nil {
                try apply(file, on: connection)
                appliedNow.append(file.name)
            }
            return appliedNow
        }
    }

    private func apply(_ file: MigrationFile, on connection: PostgresConnection) throws {
        do {
            try connection.transaction { connection in
                try connection.execute(file.sql)
                try connection.query(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, encode(sha256($3), 'hex'))",
                    [.int(file.version), .text(file.name), .bytes(file.bytes)]
                )
            }
        } catch let error as PostgresError {
            throw MigrationError.failed(file: file.name, error)
        }
        logger.info("applied migration \(file.name)")
    }

    private func verify(_ files: [MigrationFile], against applied: [Int: AppliedMigration], on connection: PostgresConnection) throws {
        let onDisk = Set(files.map(\.version))
        for (version, migration) in applied.sorted(by: { $0.key < $1.key }) where !onDisk.contains(version) {
            logger.warning("migration \(migration.name) (version \(version)) is applied but missing on disk; is this an older release?")
        }
        for file in files {
            guard let recorded = applied[file.version] else { continue }
            let checksum = try connection.query("SELECT encode(sha256($1), 'hex') AS checksum", [.bytes(file.bytes)])
            guard try checksum.rows[0].string("checksum") == recorded.checksum else {
                throw MigrationError.checksumMismatch(file: file.name)
            }
        }
    }

    private struct AppliedMigration {
        let name: String
        let checksum: String
    }

    private func appliedChecksums(on connection: PostgresConnection) throws -> [Int: AppliedMigration] {
        let result = try connection.query("SELECT version, name, checksum FROM schema_migrations")
        var applied: [Int: AppliedMigration] = [:]
        for row in result.rows {
            applied[try row.int("version")] = AppliedMigration(name: try row.string("name"), checksum: try row.string("checksum"))
        }
        return applied
    }
}
