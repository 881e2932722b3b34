import HTTPServer
import Reactor
import Synchronization

/// Windows in this process's memory: for a single instance. Bounded: past `maximumKeys` the
/// oldest windows are evicted first, so a flood of distinct keys (spoofed emails, a botnet)
/// costs a fixed amount of memory. Expired windows are dropped a few at a time as new ones
/// open, so no request ever waits for a sweep of the whole table.
final class MemoryRateLimitStore: RateLimitStore {
    private struct Window {
        var count: Int
        let endsAt: UInt64
        /// Which opening of this key the window is, to recognise its own entry in `opened`.
        let generation: UInt64
    }

    private struct State: ~Copyable {
        var windows: [String: Window] = [:]
        /// Keys in the order their windows opened, oldest first (a queue with a moving head).
        var opened: [(key: String, generation: UInt64)] = []
        var head = 0
        var nextGeneration: UInt64 = 0
    }

    let execution = Execution.inline
    private let state = Mutex(State())
    private let maximumKeys: Int
    private let clock: @Sendable () -> UInt64

    /// `clock` answers monotonic nanoseconds; injected so tests can move time.
    init(maximumKeys: Int = 100_000, clock: @escaping @Sendable () -> UInt64 = { MonotonicClock.now() }) {
        self.maximumKeys = max(1, maximumKeys)
        self.clock = clock
    }

    var keyCount: Int { state.withLock { $0.windows.count } }

    func increment(_ key: String, window: Int) -> WindowCount {
        let now = clock()
        return state.withLock { state in
            if let current = state.windows[key], current.endsAt > now {
                state.windows[key]!.count += 1
                return WindowCount(count: current.count + 1, secondsLeft: Self.secondsLeft(current.endsAt, now: now))
            }
            dropOldWindows(&state, now: now)
            let opened = Window(count: 1, endsAt: now + UInt64(window) * 1_000_000_000, generation: state.nextGeneration)
            state.nextGeneration += 1
            state.windows[key] = opened
            state.opened.append((key, opened.generation))
            return WindowCount(count: 1, secondsLeft: Self.secondsLeft(opened.endsAt, now: now))
        }
    }

    func decrement(_ key: String) {
        state.withLock { state in
            if let current = state.windows[key], current.count > 0 {
                state.windows[key]!.count -= 1
            }
        }
    }

    func reset(_ key: String) {
        state.withLock { _ = $0.windows.removeValue(forKey: key) }
    }

    private static func secondsLeft(_ endsAt: UInt64, now: UInt64) -> Int {
        max(1, Int((endsAt - now + 999_999_999) / 1_000_000_000))
    }

    /// Looks at the oldest openings: those whose window has ended, or that a reset or a
    /// reopening made stale, go; while the table is full the oldest running windows go too.
    /// A handful per call, so the cost per request stays constant.
    private func dropOldWindows(_ state: inout State, now: UInt64) {
        var examined = 0
        while state.head < state.opened.count {
            let (key, generation) = state.opened[state.head]
            let isCurrent = state.windows[key]?.generation == generation
            let hasEnded = isCurrent && state.windows[key]!.endsAt <= now
            let isFull = state.windows.count >= maximumKeys
            if isCurrent && !hasEnded && !isFull { break }
            if isCurrent { state.windows[key] = nil }
            state.head += 1
            examined += 1
            if examined >= 16 && !isFull { break }
        }
        // Compact the queue once its consumed part dominates: amortized O(1) per opening.
        if state.head > 1024 && state.head * 2 > state.opened.count {
            state.opened.removeFirst(state.head)
            state.head = 0
        }
    }
}
