import Synchronization
import Testing
@testable import AuthApp

/// Monotonic nanoseconds that only move when the test says so.
private final class ManualClock: Sendable {
    private let nanoseconds = Atomic<UInt64>(1_000_000_000)

    var now: @Sendable () -> UInt64 { { self.nanoseconds.load(ordering: .relaxed) } }

    func advance(seconds: Double) {
        nanoseconds.add(UInt64(seconds * 1e9), ordering: .relaxed)
    }
}

@Suite("The in-memory limiter store: bounded, purged a little at a time")
struct MemoryRateLimitStoreTests {
    @Test func keysAreBoundedAndTheOldestWindowsAreEvictedFirst() {
        let clock = ManualClock()
        let store = MemoryRateLimitStore(maximumKeys: 100, clock: clock.now)
        for index in 0..<1000 {
            clock.advance(seconds: 0.001)
            #expect(store.increment("spoofed-\(index)", window: 900).count == 1)
        }
        #expect(store.keyCount <= 100)
        // The newest windows kept their counts; the oldest were evicted and start again.
        #expect(store.increment("spoofed-999", window: 900).count == 2)
        #expect(store.increment("spoofed-0", window: 900).count == 1)
        #expect(store.keyCount <= 100)
    }

    /// A sweep of the whole table under the lock every request takes would stall them all;
    /// each opening drops only a handful of ended windows, and over time they all go.
    @Test func endedWindowsArePurgedAFewPerCallNeverTheWholeTableAtOnce() {
        let clock = ManualClock()
        let store = MemoryRateLimitStore(maximumKeys: 1_000_000, clock: clock.now)
        for index in 0..<10_000 {
            _ = store.increment("old-\(index)", window: 1)
        }
        clock.advance(seconds: 2)
        _ = store.increment("new-0", window: 900)
        #expect(store.keyCount > 9_900)
        for index in 1..<1000 {
            _ = store.increment("new-\(index)", window: 900)
        }
        #expect(store.keyCount <= 1_000 + 16)
        // Running windows are untouched by the purge.
        #expect(store.increment("new-0", window: 900).count == 2)
    }

    @Test func incrementThenCompareUnderConcurrency() async {
        let store = MemoryRateLimitStore()
        let counts = await concurrently(200) { store.increment("one-key", window: 900).count }
        #expect(Set(counts) == Set(1...200))
    }
}
