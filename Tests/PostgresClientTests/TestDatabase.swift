import Foundation
import PostgresClient
import Reactor
import Synchronization

/// The throwaway PostgreSQL that `make test` starts, and per-test isolation inside it: each test
/// works in a schema (or database) of its own, so tests run in parallel.
enum TestDatabase {
    struct NotConfigured: Error, CustomStringConvertible {
        var description: String {
            "TEST_DATABASE_URL is not set: run `make test`, which starts a throwaway PostgreSQL with scripts/postgres.sh and sets it"
        }
    }

    static func url() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"], !url.isEmpty else {
            throw NotConfigured()
        }
        return url
    }

    /// A database on the test server itself, for setup and inspection, shared by every test and
    /// never shut down (its loop ends with the process).
    static func admin() throws -> PostgresDatabase {
        try adminDatabase.get()
    }

    private static let adminDatabase: Result<PostgresDatabase, any Error> = Result {
        let group = try EventLoopGroup(name: "pg-admin", count: 1)
        return try PostgresDatabase(url: try url(), group: group, size: 2, settings: PostgresConnectionSettings(applicationName: "tests-admin"))
    }

    /// Runs `body` with a database of its own (on a group of its own), shut down afterwards.
    static func withDatabase<Value>(
        url: String? = nil, size: Int = 2, loops: Int = 1, settings: PostgresConnectionSettings = .init(),
        acquireTimeout: Double = 5, _ body: (PostgresDatabase, EventLoopGroup) async throws -> Value
    ) async throws -> Value {
        let group = try EventLoopGroup(name: "pg-test", count: loops)
        let database: PostgresDatabase
        do {
            database = try PostgresDatabase(
                url: try url ?? self.url(), group: group, size: size, settings: settings, acquireTimeout: acquireTimeout
            )
        } catch {
            group.shutdown()
            throw error
        }
        do {
            let value = try await body(database, group)
            await database.shutdown()
            group.shutdown()
            return value
        } catch {
            await database.shutdown()
            group.shutdown()
            throw error
        }
    }

    /// Runs `body` with a URL whose `search_path` is a new, empty schema, dropped afterwards.
    static func withSchema<Value>(_ body: (_ url: String) async throws -> Value) async throws -> Value {
        let schema = uniqueName("schema")
        let admin = try admin()
        try await admin.query("CREATE SCHEMA \(schema)")
        do {
            let value = try await body(with(try url(), option: "options", value: "-csearch_path=\(schema)"))
            _ = try? await admin.query("DROP SCHEMA \(schema) CASCADE")
            return value
        } catch {
            _ = try? await admin.query("DROP SCHEMA \(schema) CASCADE")
            throw error
        }
    }

    /// Runs `body` with the URL of a new, empty database, dropped afterwards.
    static func withEmptyDatabase<Value>(_ body: (_ url: String) async throws -> Value) async throws -> Value {
        let database = uniqueName("db")
        let admin = try admin()
        try await admin.withSession { try await $0.execute("CREATE DATABASE \(database)") }
        do {
            let value = try await body(with(try url(), option: "dbname", value: database))
            _ = try? await admin.withSession { try await $0.execute("DROP DATABASE \(database) WITH (FORCE)") }
            return value
        } catch {
            _ = try? await admin.withSession { try await $0.execute("DROP DATABASE \(database) WITH (FORCE)") }
            throw error
        }
    }

    /// Server backends whose `application_name` is `application`.
    static func backends(of application: String) async throws -> Int {
        try await admin().query(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1", [.text(application)]
        ).rows[0].int("n")
    }

    /// Terminates the backends whose `application_name` is `application`; returns how many.
    @discardableResult
    static func terminateBackends(of application: String, idleOnly: Bool = false) async throws -> Int {
        try await admin().query(
            "SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE application_name = $1"
                + (idleOnly ? " AND state = 'idle'" : ""),
            [.text(application)]
        ).rows[0].int("n")
    }

    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }

    /// The URL with one connection parameter added; libpq lets the last occurrence win.
    static func with(_ url: String, option: String, value: String) -> String {
        guard url.hasPrefix("postgres") else { return "\(url) \(option)='\(value)'" }
        let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_"))) ?? value
        if option == "dbname", var components = URLComponents(string: url) {
            components.path = "/\(value)"
            return components.string ?? url
        }
        return url + (url.contains("?") ? "&" : "?") + "\(option)=\(encoded)"
    }

    /// The URL's port, for pointing a proxy at it.
    static func port() throws -> Int {
        let url = try url()
        guard let components = URLComponents(string: url), let port = components.port else { return 5432 }
        return port
    }
}

/// Polls `condition` until it holds or `timeout` seconds pass; returns whether it held.
func eventually(timeout: Double = 5, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return try await condition()
}

/// Seconds `body` took.
func seconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = ContinuousClock.now
    try await body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

/// A thread-safe box for what concurrent test tasks record.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    func withValue<Result: Sendable>(_ body: (inout Value) -> Result) -> Result {
        mutex.withLock { body(&$0) }
    }

    var current: Value { withValue { $0 } }
}
