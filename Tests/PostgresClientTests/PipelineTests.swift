import Foundation
import PostgresClient
import Reactor
import Testing

/// Statements of many tasks on one loop share few connections, each still getting its own answer.
@Suite struct PipelineTests {
    @Test func fiveHundredConcurrentSelectsShareTwoConnections() async throws {
        let application = TestDatabase.uniqueName("pipeline")
        let settings = PostgresConnectionSettings(applicationName: application)
        try await TestDatabase.withDatabase(size: 2, settings: settings, acquireTimeout: 30) { database, group async throws in
            let loop = group.loops[0]
            let (answers, maxBackends) = try await withTaskExecutorPreference(loop) {
                try await withThrowingTaskGroup(of: (Int, Int, String).self) { tasks in
                    for index in 0..<500 {
                        tasks.addTask {
                            let row = try await database.query("SELECT $1::int AS n, $2::text AS label", [.int(index), .text("task \(index)")]).rows[0]
                            return (index, try row.int("n"), try row.string("label"))
                        }
                    }
                    var answers: [(Int, Int, String)] = []
                    var maxBackends = 0
                    for try await answer in tasks {
                        answers.append(answer)
                        if answers.count % 100 == 0 {
                            maxBackends = max(maxBackends, try await TestDatabase.backends(of: application))
                        }
                    }
                    return (answers, maxBackends)
                }
            }
            #expect(answers.count == 500)
            #expect(answers.allSatisfy { $0.0 == $0.1 && $0.2 == "task \($0.0)" }, "each task got its own row")
            #expect(maxBackends <= 2)
            #expect(try await TestDatabase.backends(of: application) <= 2)
            #expect(database.stats.open <= 2)
        }
    }

    @Test func resultsArriveInOrderForOneTaskAfterAnother() async throws {
        try await TestDatabase.withDatabase(size: 1) { database, group async throws in
            let values = try await withTaskExecutorPreference(group.loops[0]) {
                try await withThrowingTaskGroup(of: [Int].self) { tasks in
                    for task in 0..<20 {
                        tasks.addTask {
                            var seen: [Int] = []
                            for step in 0..<10 {
                                seen.append(try await database.query("SELECT $1::int AS v", [.int(task * 100 + step)]).rows[0].int("v"))
                            }
                            #expect(seen == (0..<10).map { task * 100 + $0 })
                            return seen
                        }
                    }
                    return try await tasks.reduce(into: []) { $0.append(contentsOf: $1) }
                }
            }
            #expect(values.count == 200)
        }
    }

    @Test func failingStatementInTheMiddleOfAPipelineFailsOnlyItself() async throws {
        try await TestDatabase.withSchema { url in
            try await TestDatabase.withDatabase(url: url, size: 1) { database, group async throws in
                try await database.query("CREATE TABLE members (email text CONSTRAINT members_email_key UNIQUE)")
                try await database.query("INSERT INTO members VALUES ('taken@example.com')")
                let outcomes = await withTaskExecutorPreference(group.loops[0]) {
                    await withTaskGroup(of: (Int, Result<Int, PostgresError>).self) { tasks in
                        for index in 0..<30 {
                            tasks.addTask {
                                do throws(PostgresError) {
                                    switch index {
                                    case 10:
                                        try await database.query("INSERT INTO members VALUES ($1)", [.text("taken@example.com")])
                                        return (index, .success(-1))
                                    case 20:
                                        try await database.query("SELEC broken")
                                        return (index, .success(-1))
                                    default:
                                        let result = try await database.query("INSERT INTO members VALUES ($1) RETURNING 1 AS one", [.text("m\(index)@example.com")])
                                        return (index, .success(try result.rows[0].int("one")))
                                    }
                                } catch {
                                    return (index, .failure(error))
                                }
                            }
                        }
                        return await tasks.reduce(into: [Int: Result<Int, PostgresError>]()) { $0[$1.0] = $1.1 }
                    }
                }
                for (index, outcome) in outcomes {
                    switch (index, outcome) {
                    case (10, .failure(let error)):
                        #expect(error.isUniqueViolation)
                        #expect(error.constraint == "members_email_key")
                    case (20, .failure(let error)):
                        #expect(error.sqlState == "42601")
                    case (_, .success(let one)):
                        #expect(one == 1 && index != 10 && index != 20)
                    case (_, .failure(let error)):
                        Issue.record("statement \(index) failed with the others: \(error)")
                    }
                }
                #expect(try await database.query("SELECT count(*) AS n FROM members").rows[0].int("n") == 29)
                #expect(database.stats.open == 1)
            }
        }
    }

    @Test func brokenSQLFailsEveryTaskThatSentItWithItsOwnError() async throws {
        try await TestDatabase.withDatabase(size: 1) { database, group async throws in
            let errors = await withTaskExecutorPreference(group.loops[0]) {
                await withTaskGroup(of: String?.self) { tasks in
                    for _ in 0..<5 {
                        tasks.addTask {
                            do throws(PostgresError) {
                                try await database.query("SELECT FROM WHERE")
                                return nil
                            } catch {
                                return error.sqlState
                            }
                        }
                    }
                    return await tasks.reduce(into: [String?]()) { $0.append($1) }
                }
            }
            #expect(errors == Array(repeating: "42601", count: 5), "a failed Parse is reported to each statement that relied on it")
            let three = try await database.query("SELECT 3 AS v").rows[0].int("v")
            #expect(three == 3)
        }
    }
}
