/// Counts events per key in fixed windows that start with a key's first event. `memory` serves
/// one instance; `postgres` is shared by every instance on the database.
protocol RateLimitStore: Sendable {
    /// Adds one event to `key` and answers the window's count with it.
    func increment(_ key: String, window: Int) throws -> WindowCount
    /// The window's count without adding to it.
    func count(_ key: String) throws -> WindowCount
    func reset(_ key: String) throws
}

struct WindowCount: Equatable {
    let count: Int
    /// Seconds until the window ends (at least 1 while it is open).
    let secondsLeft: Int

    static let empty = WindowCount(count: 0, secondsLeft: 0)
}
