import HTTPServer
import PostgresClient

/// Windows in the UNLOGGED `rate_limits` table, shared by every instance. The check and the
/// increment are one statement on the database's clock, so instances neither race nor disagree
/// about time.
struct PostgresRateLimitStore: RateLimitStore {
    let database: PostgresDatabase
    let execution = Execution.waits

    func increment(_ key: String, window: Int) async throws -> WindowCount {
        let row = try await database.query("""
            INSERT INTO rate_limits AS r (key, count, window_ends) VALUES ($1, 1, now() + make_interval(secs => $2))
            ON CONFLICT (key) DO UPDATE SET
                count = CASE WHEN r.window_ends <= now() THEN 1 ELSE r.count + 1 END,
                window_ends = CASE WHEN r.window_ends <= now() THEN now() + make_interval(secs => $2) ELSE r.window_ends END
            RETURNING count, greatest(1, ceil(extract(epoch FROM window_ends - now())))::int AS seconds_left
            """, [.text(key), .int(window)]).rows[0]
        if Int.random(in: 0..<1000) == 0 {
            // Now and then, drop long-ended windows so the table stays small.
            _ = try await database.query("DELETE FROM rate_limits WHERE window_ends < now() - interval '1 hour'")
        }
        return WindowCount(count: try row.int("count"), secondsLeft: try row.int("seconds_left"))
    }

    func decrement(_ key: String) async throws {
        _ = try await database.query("UPDATE rate_limits SET count = count - 1 WHERE key = $1 AND count > 0 AND window_ends > now()",
                                     [.text(key)])
    }

    func reset(_ key: String) async throws {
        _ = try await database.query("DELETE FROM rate_limits WHERE key = $1", [.text(key)])
    }
}
