import PostgresClient

/// What statements run on: the database (each statement alone, pipelined with other requests'
/// statements on a connection of the caller's loop) or an open transaction.
protocol SQLRunner {
    func query(_ sql: String, _ parameters: [PostgresValue]) async throws(PostgresError) -> PostgresResult
}

extension PostgresDatabase: SQLRunner {}
extension PostgresTransaction: SQLRunner {}
