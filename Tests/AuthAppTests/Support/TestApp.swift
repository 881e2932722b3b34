import AuthApp
import Foundation
import HTTPServer
import Logging
import TestHTTPClient

/// A real `AuthServerApp` on a free loopback port over the test PostgreSQL (`TEST_DATABASE_URL`,
/// which `make test` starts). Each instance has its own in-memory rate limits; accounts are kept
/// apart by unique emails, so tests run in parallel on one database. Stopped (every thread
/// joined) when the test lets go of it.
final class TestApp: Sendable {
    let app: AuthServerApp
    var port: Int { app.port }

    static var databaseURL: String {
        guard let url = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"], !url.isEmpty else {
            fatalError("TEST_DATABASE_URL is not set: run the suite with `make test`, which starts a throwaway PostgreSQL")
        }
        return url
    }

    static let migrationsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Migrations").path

    static let secret = "test-secret-that-is-long-enough-for-hs256-0123456789"
    static let serverSecret = "test-server-secret-never-shared-with-partners-0123"

    /// `settings` override the test defaults, by environment variable name.
    init(_ settings: [String: String] = [:], databaseURL: String = TestApp.databaseURL) async throws {
        var values = [
            "HOST": "127.0.0.1", "PORT": "0", "APP_ENV": "test", "DATABASE_URL": databaseURL,
            "JWT_ACCESS_SECRET": TestApp.secret, "SERVER_SECRET": TestApp.serverSecret, "BCRYPT_COST": "4",
            "MIGRATIONS_DIR": TestApp.migrationsDirectory,
            "DB_POOL_SIZE": "4", "RATE_LIMIT_MAX": "10000", "LOGIN_MAX_FAILURES": "1000", "ACCOUNT_MAX_FAILURES": "1000",
            "CORS_ORIGINS": "http://localhost:3000", "SHUTDOWN_TIMEOUT": "2",
        ]
        values.merge(settings) { $1 }
        let configuration = try AppConfiguration { values[$0] }
        var logger = Logger(label: "authserver-test")
        logger.logLevel = .critical
        app = try AuthServerApp(configuration: configuration, logger: logger)
        try await app.start()
    }

    deinit {
        app.stop()
    }

    func client() throws -> APIClient {
        try APIClient(port: port)
    }

    /// The same calls without a socket: straight into the router, middleware and controllers.
    func inProcess(from address: String = "127.0.0.1") -> InProcessClient {
        InProcessClient(app: app, address: IPAddress(address)!)
    }

    static func uniqueEmail(_ tag: String = "user") -> String {
        "\(tag)-\(UUID().uuidString.prefix(12).lowercased())@example.com"
    }
}
