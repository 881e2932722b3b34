import Reactor

/// Idle easy handles kept between requests, so that the next request to the same server can
/// reuse a live connection and TLS session from the handle's cache.
///
/// @unchecked Sendable: `idle` is only touched under its lock, and a handle is either in `idle`
/// or lent to exactly one caller inside `withHandle`, never both, so no handle is used by two
/// threads at once.
final class CurlHandlePool: @unchecked Sendable {
    /// More handles than this stay only while in use: enough for a small worker pool.
    private let idleLimit: Int
    private let idle = Monitor<[CurlEasy]>([])

    init(idleLimit: Int = 4) {
        self.idleLimit = idleLimit
    }

    /// Lends a freshly reset handle to `body`, then takes it back.
    func withHandle<Result, Failure: Error>(_ body: (CurlEasy) throws(Failure) -> Result) throws(Failure) -> Result {
        let easy = idle.withLock { $0.popLast() } ?? CurlEasy()
        defer {
            easy.reset()
            idle.withLock {
                if $0.count < idleLimit { $0.append(easy) }
            }
        }
        return try body(easy)
    }
}
