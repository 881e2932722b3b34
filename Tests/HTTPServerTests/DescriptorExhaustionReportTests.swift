@testable import HTTPServer
import Testing

@Suite("DescriptorExhaustionReport")
struct DescriptorExhaustionReportTests {
    private let second: UInt64 = 1_000_000_000

    @Test func reportsOncePerIntervalAcrossLoops() {
        let report = DescriptorExhaustionReport(interval: 10 * second)
        #expect(report.shouldReport(now: 100 * second))
        #expect(!report.shouldReport(now: 100 * second))
        #expect(!report.shouldReport(now: 109 * second))
        #expect(report.shouldReport(now: 110 * second))
    }

    /// Each loop caches its time per iteration: one that asks with a time older than another
    /// loop's report must not take it for a report ten seconds ago (the CI saw two log lines).
    @Test func aLoopWithAnOlderClockDoesNotReportAgain() {
        let report = DescriptorExhaustionReport(interval: 10 * second)
        #expect(report.shouldReport(now: 100 * second))
        #expect(!report.shouldReport(now: 100 * second - 1))
        #expect(!report.shouldReport(now: 50 * second))
    }
}
