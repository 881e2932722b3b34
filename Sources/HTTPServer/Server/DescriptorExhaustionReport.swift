import Synchronization

/// Decides when running out of file descriptors is worth a log line: every loop meets `EMFILE`
/// at once and retries it every pause, but operators need the news once, not once per loop
/// per retry. Shared by the server's loops.
final class DescriptorExhaustionReport: Sendable {
    /// Monotonic nanoseconds of the last report; 0 before the first.
    private let lastReport = Atomic<UInt64>(0)
    private let interval: UInt64

    init(interval: UInt64 = 10_000_000_000) {
        self.interval = interval
    }

    /// True for the first caller since `interval` passed: that one logs. Each loop's `now` is
    /// cached per iteration, so a loop may ask with a time older than the last report.
    func shouldReport(now: UInt64) -> Bool {
        var last = lastReport.load(ordering: .relaxed)
        while last == 0 || (now > last && now - last >= interval) {
            let (exchanged, current) = lastReport.compareExchange(expected: last, desired: max(now, 1), ordering: .relaxed)
            if exchanged { return true }
            last = current
        }
        return false
    }
}
