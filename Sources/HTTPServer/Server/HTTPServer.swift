import Glibc
import Logging
import Reactor

/// An HTTP/1.1 server: one listening socket shared by the loops of an `EventLoopGroup`, whose
/// accepted connections are dealt out to the loops in turn, every request answered by
/// `responder` as a task on its connection's loop.
///
/// ```swift
/// let server = HTTPServer(configuration: configuration, responder: router, group: group, logger: logger)
/// try server.start()
/// // ... on SIGTERM:
/// server.shutdown(timeout: 15)
/// ```
public final class HTTPServer: Sendable {
    public let configuration: HTTPServerConfiguration
    private let responder: any HTTPResponder
    private let group: EventLoopGroup
    private let logger: Logger
    private let limiter: ConnectionLimiter
    private let descriptorReport = DescriptorExhaustionReport()
    private let state = Monitor(State())

    private struct State {
        var listener: ListeningSocket?
        var loops: [ServerLoop] = []
        var draining = false
    }

    public init(configuration: HTTPServerConfiguration, responder: any HTTPResponder, group: EventLoopGroup, logger: Logger) {
        self.configuration = configuration
        self.responder = responder
        self.group = group
        self.logger = logger
        limiter = ConnectionLimiter(configuration: configuration)
    }

    /// Shutdown has reached every loop: from now on every response carries `Connection: close`.
    public var isDraining: Bool { state.withLock { $0.draining } }

    /// The bound port (the chosen one when configured with port 0).
    public var port: Int { state.withLock { $0.listener?.port } ?? configuration.port }

    public var openConnections: Int { limiter.current }

    /// Binds and starts accepting on every loop; returns at once. Connections that arrive before
    /// a loop watches the socket wait in the kernel's backlog.
    public func start() throws {
        checkOpenFileLimit()
        let listener = try ListeningSocket.bind(host: configuration.host, port: configuration.port)
        let loops = group.loops.map { loop in
            ServerLoop(loop: loop, listener: listener.descriptor, configuration: configuration, responder: responder,
                       limiter: limiter, descriptorReport: descriptorReport, logger: logger)
        }
        state.withLock { state in
            state.listener = listener
            state.loops = loops
        }
        for (position, server) in loops.enumerated() {
            server.loop.execute { server.start(owners: loops, position: position) }
        }
        logger.info("Listening", metadata: ["host": "\(configuration.host)", "port": "\(listener.port)"])
    }

    /// Graceful shutdown: stop accepting, close idle connections, let requests in flight finish
    /// for up to `timeout` seconds, then close the rest. Returns when every connection is closed.
    public func shutdown(timeout: Double) {
        let (listener, loops) = state.withLock { ($0.listener, $0.loops) }
        guard let listener else { return }
        onEveryLoop(loops) { $0.beginShutdown() }
        state.withLock { $0.draining = true }
        let deadline = MonotonicClock.now() + UInt64(max(0, timeout) * 1e9)
        if !limiter.waitUntilDrained(deadline: deadline) {
            logger.warning("Closing connections still open at the shutdown deadline", metadata: ["count": "\(limiter.current)"])
        }
        onEveryLoop(loops) { $0.stop() }
        listener.close()
        state.withLock { $0 = State() }
        logger.info("Server stopped")
    }

    /// Runs `body` on each server loop's thread and waits until all have run it.
    private func onEveryLoop(_ loops: [ServerLoop], _ body: @escaping @Sendable (ServerLoop) -> Void) {
        let remaining = Monitor(loops.count)
        for server in loops {
            server.loop.execute {
                body(server)
                remaining.withLock { $0 -= 1 }
                remaining.broadcast()
            }
        }
        remaining.withLock(when: { $0 == 0 }) { _ in }
    }

    /// Every connection is a descriptor: the soft limit (often 1,024) would cap `maxConnections`
    /// long before memory does. Raise it to the hard limit, and say so when even that is short.
    private func checkOpenFileLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        // Descriptors the process needs besides client connections: the database pool, logs, files.
        let reserve = 64
        if UInt(configuration.maxConnections + reserve) > UInt(limit.rlim_cur) {
            logger.warning("MAX_CONNECTIONS exceeds what the open-files limit allows; raise it (ulimit -n) or lower MAX_CONNECTIONS", metadata: [
                "maxConnections": "\(configuration.maxConnections)", "openFilesLimit": "\(limit.rlim_cur)",
            ])
        }
    }
}
