import PostgresClient

/// Direct access to the test database, for arranging what the API cannot (a deactivated
/// account) and for checking what it stored.
enum Database {
    static let pool = PostgresPool(url: TestApp.databaseURL, size: 2, logger: .init(label: "test-db"))

    static func execute(_ sql: String, _ parameters: [PostgresValue] = []) throws {
        try pool.withConnection { _ = try $0.query(sql, parameters) }
    }

    static func passwordHash(email: String) throws -> String {
        try pool.withConnection { try $0.query("SELECT password_hash FROM users WHERE email = $1", [.text(email)]).rows[0].string("password_hash") }
    }
}
