import HTTPServer

/// Counts events per key in fixed windows that start with a key's first event. `memory` serves
/// one instance; `postgres` is shared by every instance on the database.
protocol RateLimitStore: Sendable {
    /// Whether calls wait for the database (`.waits`) or answer from memory (`.inline`).
    var execution: Execution { get }
    /// Adds one event to `key` and answers the window's count with it: deciding on the count
    /// returned means concurrent callers can never all slip under the limit.
    func increment(_ key: String, window: Int) async throws -> WindowCount
    /// Takes back one event counted by `increment` (an attempt that turned out not to count).
    func decrement(_ key: String) async throws
    func reset(_ key: String) async throws
}

struct WindowCount: Equatable, Sendable {
    let count: Int
    /// Seconds until the window ends (at least 1 while it is open).
    let secondsLeft: Int
}
