@testable import PostgresClient
import Testing

/// Which statements the pool may run again after losing its connection: never one that may have
/// committed a change.
@Suite struct RetrySafetyTests {
    @Test(arguments: [
        ("SELECT * FROM users WHERE id = $1", false),
        ("  select 1;  ", false),
        ("SHOW TimeZone", false),
        ("BEGIN ISOLATION LEVEL SERIALIZABLE", false),
        ("ROLLBACK", false),
        ("INSERT INTO users (email) VALUES ($1)", true),
        ("UPDATE users SET files_uploaded = files_uploaded + 1", true),
        ("WITH moved AS (DELETE FROM a RETURNING *) SELECT * FROM moved", true),
        ("SELECT 1; DELETE FROM users", true),
        ("CREATE TABLE t (n int)", true),
    ])
    func outsideATransaction(sql: String, mayChange: Bool) {
        #expect(RetrySafety.mayMakeLastingChange(sql, insideTransactionBlock: false) == mayChange)
    }

    @Test(arguments: [
        ("INSERT INTO users (email) VALUES ($1)", false),
        ("UPDATE sessions SET revoked_at = now()", false),
        ("COMMIT", true),
        ("end", true),
        ("PREPARE TRANSACTION 'x'", true),
        ("INSERT INTO a VALUES (1); COMMIT", true),
    ])
    func insideATransaction(sql: String, mayChange: Bool) {
        #expect(RetrySafety.mayMakeLastingChange(sql, insideTransactionBlock: true) == mayChange)
    }
}
