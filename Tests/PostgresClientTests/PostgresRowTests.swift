import Foundation
import PostgresClient
import Testing

/// Decoding by name and position, and the errors for columns that are missing, NULL or of
/// another type: thrown, never a crash, and never quoting the value.
@Suite struct PostgresRowTests {
    private func sampleRow() async throws -> PostgresRow {
        try await TestDatabase.admin().query("SELECT 'hunter2'::text AS secret, 7 AS n, NULL::text AS nothing").rows[0]
    }

    private func decodingError(_ body: () throws -> Void) -> PostgresError? {
        do {
            try body()
            return nil
        } catch {
            return error as? PostgresError
        }
    }

    @Test func decodesByNameAndByPosition() async throws {
        let row = try await sampleRow()
        #expect(row.columns == ["secret", "n", "nothing"])
        #expect(try row.string(0) == "hunter2")
        #expect(try row.int(1) == 7)
        let column = "n"
        #expect(try row.int(PostgresColumn(column)) == 7)
        #expect(try row.decode("n", as: Int.self) == 7)
    }

    @Test func missingColumnThrowsNamingIt() async throws {
        let row = try await sampleRow()
        let error = decodingError { _ = try row.string("emial") }
        guard case .decoding(let message)? = error else {
            Issue.record("expected a decoding error, got \(String(describing: error))")
            return
        }
        #expect(message.contains("\"emial\""))
        #expect(decodingError { _ = try row.string(3) } != nil)
        #expect(decodingError { _ = try row.string(-1) } != nil)
    }

    @Test func typeMismatchThrowsWithoutQuotingTheValue() async throws {
        let row = try await sampleRow()
        for attempt in [{ _ = try row.int("secret") }, { _ = try row.uuid("secret") }, { _ = try row.bool("secret") },
                        { _ = try row.date("secret") }, { _ = try row.bytes("secret") }, { _ = try row.double("secret") }] {
            let error = decodingError(attempt)
            guard case .decoding(let message)? = error else {
                Issue.record("expected a decoding error, got \(String(describing: error))")
                continue
            }
            #expect(message.contains("\"secret\""))
            #expect(!message.contains("hunter2"))
        }
    }

    @Test func nullWhereAValueIsRequiredThrows() async throws {
        let row = try await sampleRow()
        guard case .decoding(let message)? = decodingError({ _ = try row.string("nothing") }) else {
            Issue.record("expected a decoding error")
            return
        }
        #expect(message.contains("NULL"))
    }
}
