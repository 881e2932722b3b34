import FoundationEssentials
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
    public func pending(on database: PostgresDatabase) async throws -> [String] {
        let files = try MigrationFile.load(from: directory)
        let applied = try await database.withSession { session in
            let exists = try await session.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS present")
            return try exists.rows[0].bool("present") ? try await Self.appliedChecksums(on: session) : [:]
        }
        return files.filter { applied[$0.version] == nil }.map(\.name)
    }

    /// Applies pending migrations; returns the file names applied, in order.
    @discardableResult
    public func migrate(_ database: PostgresDatabase) async throws -> [String] {
        let files = try MigrationFile.load(from: directory)
        return try await database.withSession { session in
            // A migration may outlast the statement timeout, and so may waiting for another
            // instance's run. The session's end resets both, and releases the lock in any case.
            try await session.setStatementTimeout(0)
            try await session.query("SELECT pg_advisory_lock($1)", [.int(Self.advisoryLockKey)])
            let applied: [String]
            do {
                applied = try await migrate(files, on: session)
            } catch {
                _ = try? await session.query("SELECT pg_advisory_unlock($1)", [.int(Self.advisoryLockKey)])
                throw error
            }
            try await session.query("SELECT pg_advisory_unlock($1)", [.int(Self.advisoryLockKey)])
            return applied
        }
    }

    private func migrate(_ files: [MigrationFile], on session: PostgresSession) async throws -> [String] {
        try await session.execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
        let applied = try await Self.appliedChecksums(on: session)
        try await verify(files, against: applied, on: session)
        var appliedNow: [String] = []
        for file in files where applied[file.version] == nil {
            try await apply(file, on: session)
            appliedNow.append(file.name)
        }
        return appliedNow
    }

    private func apply(_ file: MigrationFile, on session: PostgresSession) async throws {
        do {
            try await session.transaction { transaction in
                try await transaction.execute(file.sql)
                try await transaction.query(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, encode(sha256($3), 'hex'))",
                    [.int(file.version), .text(file.name), .bytes(file.bytes)]
                )
            }
        } catch let error as PostgresError {
            throw MigrationError.failed(file: file.name, error)
        }
        logger.info("applied migration \(file.name)")
    }

    private func verify(_ files: [MigrationFile], against applied: [Int: AppliedMigration], on session: PostgresSession) async throws {
        let onDisk = Set(files.map(\.version))
        for (version, migration) in applied.sorted(by: { $0.key < $1.key }) where !onDisk.contains(version) {
            logger.warning("migration \(migration.name) (version \(version)) is applied but missing on disk; is this an older release?")
        }
        for file in files {
            guard let recorded = applied[file.version] else { continue }
            let checksum = try await session.query("SELECT encode(sha256($1), 'hex') AS checksum", [.bytes(file.bytes)])
            guard try checksum.rows[0].string("checksum") == recorded.checksum else {
                throw MigrationError.checksumMismatch(file: file.name)
            }
        }
    }

    private struct AppliedMigration: Sendable {
        let name: String
        let checksum: String
    }

    private static func appliedChecksums(on session: PostgresSession) async throws -> [Int: AppliedMigration] {
        let result = try await session.query("SELECT version, name, checksum FROM schema_migrations")
        var applied: [Int: AppliedMigration] = [:]
        for row in result.rows {
            applied[try row.int("version")] = AppliedMigration(name: try row.string("name"), checksum: try row.string("checksum"))
        }
        return applied
    }
}
