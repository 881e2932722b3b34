import Foundation
import FuzzTargets
import Testing

/// Every checked-in corpus file (seeds and the reproducers of past findings) through its fuzz
/// target's check, as an ordinary test: what a fuzzer once found stays fixed.
struct FuzzCorpusReplayTests {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/Corpus")

    @Test(arguments: FuzzEntry.targets.map { $0.name })
    func replaysEveryCorpusFile(of name: String) throws {
        let target = try #require(FuzzEntry.targets.first { $0.name == name })
        let directory = Self.corpus.appendingPathComponent(name)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(files.count >= 3, "a seed corpus for \(name)")
        for file in files {
            let input = try [UInt8](Data(contentsOf: directory.appendingPathComponent(file)))
            do {
                try target.check(input)
            } catch {
                Issue.record("\(name)/\(file): \(error)")
            }
        }
    }

    @Test func everyTargetHasACorpusDirectory() throws {
        let directories = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path)
        #expect(Set(directories) == Set(FuzzEntry.targets.map { $0.name }))
    }
}
