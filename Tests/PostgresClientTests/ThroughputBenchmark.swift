import Foundation
import PostgresClient
import Reactor
import Testing

extension Tag {
    /// Measures and prints; asserts nothing about speed.
    @Tag static var benchmark: Self
}

/// `POSTGRES_BENCH_SECONDS=5 swift test --filter ThroughputBenchmark`: tasks on one event loop
/// running `SELECT ... WHERE id = $1` for that long, as `pgbench -M prepared` does with the
/// same statement (see the report in the commit log); prints statements per second.
@Suite(.tags(.benchmark), .serialized, .enabled(if: ProcessInfo.processInfo.environment["POSTGRES_BENCH_SECONDS"] != nil))
struct ThroughputBenchmark {
    private var duration: Double {
        Double(ProcessInfo.processInfo.environment["POSTGRES_BENCH_SECONDS"] ?? "") ?? 3
    }

    static let table = "postgres_client_bench"
    static let rows = 10_000

    @Test(arguments: [(1, 1), (1, 16), (1, 64), (2, 64), (2, 256), (4, 256)])
    func pointSelects(connections: Int, tasks: Int) async throws {
        let admin = try TestDatabase.admin()
        try await admin.withSession { session in
            try await session.execute("""
                CREATE TABLE IF NOT EXISTS \(Self.table) (id int PRIMARY KEY, email text NOT NULL, token uuid NOT NULL, created_at timestamptz NOT NULL);
                INSERT INTO \(Self.table) SELECT n, 'user' || n || '@example.com', gen_random_uuid(), now() FROM generate_series(1, \(Self.rows)) n
                ON CONFLICT DO NOTHING
                """)
        }
        let duration = duration
        try await TestDatabase.withDatabase(size: connections, acquireTimeout: 30) { database, group async throws in
            let loop = group.loops[0]
            let total = try await withTaskExecutorPreference(loop) {
                try await withThrowingTaskGroup(of: Int.self) { workers in
                    let deadline = ContinuousClock.now + .milliseconds(Int(duration * 1000))
                    for worker in 0..<tasks {
                        workers.addTask {
                            var count = 0
                            var id = worker % Self.rows + 1
                            while ContinuousClock.now < deadline {
                                let row = try await database.query(
                                    "SELECT id, email, token, created_at FROM \(Self.table) WHERE id = $1", [.int(id)]
                                ).rows[0]
                                _ = try row.int("id")
                                _ = try row.string("email")
                                _ = try row.uuid("token")
                                _ = try row.date("created_at")
                                count += 1
                                id = (id &* 7919 &+ 13) % Self.rows + 1
                            }
                            return count
                        }
                    }
                    return try await workers.reduce(0, +)
                }
            }
            let perSecond = Int(Double(total) / duration)
            print("postgres-client-bench: connections=\(connections) tasks=\(tasks) seconds=\(duration) statements=\(total) per_second=\(perSecond)")
        }
    }
}
