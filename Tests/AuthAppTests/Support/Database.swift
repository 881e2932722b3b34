import Foundation
import PostgresClient
import Reactor

/// Direct access to the test database, for arranging what the API cannot (a deactivated
/// account, a backdated row) and for checking what it stored.
enum Database {
    static let group = try! EventLoopGroup(name: "test-db", count: 1)
    static let database = try! PostgresDatabase(url: TestApp.databaseURL, group: group, size: 2)

    @discardableResult
    static func execute(_ sql: String, _ parameters: [PostgresValue] = []) async throws -> PostgresResult {
        try await database.query(sql, parameters)
    }

    static func passwordHash(email: String) async throws -> String {
        try await execute("SELECT password_hash FROM users WHERE email = $1", [.text(email)]).rows[0].string("password_hash")
    }
}
