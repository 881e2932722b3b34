import Foundation

/// Idle easy handles kept between requests, so that the next request to the same server can
/// reuse a live connection and TLS session from the handle's cache.
///
/// @unchecked Sendable: `idle` is only touched under `lock`, and a handle is either in `idle` or
/// lent to exactly one caller inside `withHandle`, never both, so no handle is used by two
/// threads at once.
final class CurlHandlePool: @unchecked Sendable {
    /// More handles than this stay only while in use: enough for a small worker pool.
    private let idleLimit: Int
    private let lock = NSLock()
    private var idle: [CurlEasy] = []

    init(idleLimit: Int = 4) {
        self.idleLimit = idleLimit
    }

    /// Lends a freshly reset handle to `body`, then takes it back.
    func withHandle<Result, Failure: Error>(_ body: (CurlEasy) throws(Failure) -> Result) throws(Failure) -> Result {
        let easy = lock.withLock { idle.popLast() } ?? CurlEasy()
        defer {
            easy.reset()
            lock.withLock {
                if idle.count < idleLimit { idle.append(easy) }
            }
        }
        return try body(easy)
    }
}
