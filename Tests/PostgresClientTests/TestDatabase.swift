import Foundation
import PostgresClient

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

    /// A connection to the test database itself, for setup and inspection.
    static func adminConnection() throws -> PostgresConnection {
        try PostgresConnection(url: url())
    }

    /// Runs `body` with a URL whose `search_path` is a new, empty schema, dropped afterwards.
    @discardableResult
    static func withSchema<Value>(_ body: (_ url: String) throws -> Value) throws -> Value {
        let schema = uniqueName("schema")
        let admin = try adminConnection()
        try admin.execute("CREATE SCHEMA \(schema)")
        defer { _ = try? admin.execute("DROP SCHEMA \(schema) CASCADE") }
        return try body(with(try url(), option: "options", value: "-csearch_path=\(schema)"))
    }

    /// Runs `body` with the URL of a new, empty database, dropped afterwards.
    @discardableResult
    static func withDatabase<Value>(_ body: (_ url: String) throws -> Value) throws -> Value {
        let database = uniqueName("db")
        let admin = try adminConnection()
        try admin.execute("CREATE DATABASE \(database)")
        defer { _ = try? admin.execute("DROP DATABASE \(database) WITH (FORCE)") }
        return try body(with(try url(), option: "dbname", value: database))
    }

    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }

    /// The URL with one connection parameter added; libpq lets the last occurrence win.
    private static func with(_ url: String, option: String, value: String) -> String {
        guard url.hasPrefix("postgres") else { return "\(url) \(option)='\(value)'" }
        let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_"))) ?? value
        if option == "dbname", var components = URLComponents(string: url) {
            components.path = "/\(value)"
            return components.string ?? url
        }
        return url + (url.contains("?") ? "&" : "?") + "\(option)=\(encoded)"
    }
}
