import Foundation
import PostgresClient
import Testing

@Suite struct UUIDCanonicalTextTests {
    @Test func readsEitherCaseAndWritesLowercase() {
        for _ in 0..<100 {
            let id = UUID()
            #expect(UUID(canonicalText: id.uuidString) == id)
            #expect(UUID(canonicalText: id.uuidString.lowercased()) == id)
            #expect(id.lowercasedText == id.uuidString.lowercased())
        }
        #expect(UUID(canonicalText: "00000000-0000-0000-0000-000000000000")?.lowercasedText == "00000000-0000-0000-0000-000000000000")
        #expect(UUID(canonicalText: "FFFFFFFF-ffff-FFFF-ffff-FFFFFFFFFFFF")?.lowercasedText == "ffffffff-ffff-ffff-ffff-ffffffffffff")
    }

    @Test(arguments: [
        "", "not-a-uuid", "123e4567e89b12d3a456426614174000", "{123e4567-e89b-12d3-a456-426614174000}",
        "123e4567-e89b-12d3-a456-42661417400", "123e4567-e89b-12d3-a456-4266141740000", "123e4567-e89b-12d3-a456_426614174000",
        "123e4567-e89b-12d3-a456-42661417400g", "123e4567-e89b-12d3-a4564-26614174000", " 23e4567-e89b-12d3-a456-426614174000",
        "123e4567-e89b-12d3-a456-42661417400é",
    ])
    func rejectsAnythingButTheCanonicalForm(text: String) {
        #expect(UUID(canonicalText: text) == nil)
    }

    @Test func serverUUIDsDecode() async throws {
        let row = try await TestDatabase.admin().query(
            "SELECT '123E4567-E89B-12D3-A456-426614174000'::uuid AS v, $1::uuid AS w", [.uuid(UUID(uuidString: "00112233-4455-6677-8899-AABBCCDDEEFF")!)]
        ).rows[0]
        #expect(try row.uuid("v").lowercasedText == "123e4567-e89b-12d3-a456-426614174000")
        #expect(try row.string("w") == "00112233-4455-6677-8899-aabbccddeeff")
    }
}
