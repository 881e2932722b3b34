import Reactor
import Foundation
import Glibc
import Logging

/// An HTTP/1.1 server: a listening socket shared by a few epoll event loops, with `.worker`
/// routes run on a bounded worker pool.
///
/// ```swift
/// let server = HTTPServer(configuration: configuration, application: application, workers: workers, logger: logger)
/// try server.start()
/// // ... on SIGTERM:
/// server.shutdown(timeout: 15)
/// ```
public final class HTTPServer: @unchecked Sendable {
    public let configuration: HTTPServerConfiguration
    private let application: HTTPApplication
    private let workers: WorkerPool
    private let logger: Logger
    private let counter = ConnectionCounter()
    private var listener: ListeningSocket?
    private var loops: [EventLoop] = []

    public init(configuration: HTTPServerConfiguration, application: HTTPApplication, workers: WorkerPool, logger: Logger) {
        self.configuration = configuration
        self.application = application
        self.workers = workers
        self.logger = logger
    }

    /// The bound port (the chosen one when configured with port 0).
    public var port: Int { listener?.port ?? configuration.port }

    public var openConnections: Int { counter.current }

    public func start() throws {
        raiseOpenFileLimit()
        let listener = try ListeningSocket.bind(host: configuration.host, port: configuration.port)
        self.listener = listener
        for index in 0..<max(1, configuration.eventLoopCount) {
            let loop = try EventLoop(application: application, workers: workers, configuration: configuration,
                                     listener: listener.descriptor, counter: counter, logger: logger)
            loops.append(loop)
            loop.start(name: "event-loop-\(index)")
        }
        logger.info("Listening", metadata: ["host": "\(configuration.host)", "port": "\(listener.port)"])
    }

    /// Graceful shutdown: stop accepting, close idle connections, let requests in flight finish
    /// for up to `timeout` seconds, then close the rest. Blocks until done.
    public func shutdown(timeout: Double) {
        loops.forEach { $0.beginShutdown() }
        let deadline = MonotonicClock.now() + UInt64(max(0, timeout) * 1e9)
        while counter.current > 0 && MonotonicClock.now() < deadline {
            usleep(20_000)
        }
        if counter.current > 0 {
            logger.warning("Closing connections still open at the shutdown deadline", metadata: ["count": "\(counter.current)"])
        }
        loops.forEach { $0.stop() }
        listener?.close()
        listener = nil
        // Give the loops a moment to run their stop task before the caller tears down shared state.
        usleep(50_000)
        logger.info("Server stopped")
    }

    /// Every connection is a file descriptor: the soft limit (often 1,024) would cap
    /// `MAX_CONNECTIONS` long before memory does.
    private func raiseOpenFileLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}
