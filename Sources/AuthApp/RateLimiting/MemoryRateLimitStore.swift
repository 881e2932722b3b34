import Reactor
import Foundation
import HTTPServer

/// Windows in this process's memory, behind one lock: for a single instance.
final class MemoryRateLimitStore: RateLimitStore, @unchecked Sendable {
    private struct Window {
        var count: Int
        var endsAt: UInt64
    }

    private let lock = NSLock()
    private var windows: [String: Window] = [:]
    private var nextPurge: UInt64 = 0
    private let clock: @Sendable () -> UInt64

    /// `clock` answers monotonic nanoseconds; injected so tests can move time.
    init(clock: @escaping @Sendable () -> UInt64 = { MonotonicClock.now() }) {
        self.clock = clock
    }

    func increment(_ key: String, window: Int) -> WindowCount {
        let now = clock()
        lock.lock()
        defer { lock.unlock() }
        purgeExpired(now: now)
        var entry = windows[key].flatMap { $0.endsAt > now ? $0 : nil } ?? Window(count: 0, endsAt: now + UInt64(window) * 1_000_000_000)
        entry.count += 1
        windows[key] = entry
        return WindowCount(count: entry.count, secondsLeft: secondsLeft(entry, now: now))
    }

    func count(_ key: String) -> WindowCount {
        let now = clock()
        lock.lock()
        defer { lock.unlock() }
        guard let entry = windows[key], entry.endsAt > now else { return .empty }
        return WindowCount(count: entry.count, secondsLeft: secondsLeft(entry, now: now))
    }

    func reset(_ key: String) {
        lock.lock()
        windows[key] = nil
        lock.unlock()
    }

    private func secondsLeft(_ window: Window, now: UInt64) -> Int {
        max(1, Int((window.endsAt - now + 999_999_999) / 1_000_000_000))
    }

    /// Sweeps expired windows at most every ten seconds, so memory follows the active clients.
    private func purgeExpired(now: UInt64) {
        guard now >= nextPurge else { return }
        nextPurge = now + 10_000_000_000
        windows = windows.filter { $0.value.endsAt > now }
    }
}
