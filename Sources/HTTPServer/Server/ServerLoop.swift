import CLinuxIO
import Glibc
import Logging
import Reactor

/// The server on one event loop: it accepts from the shared listening socket, hands each new
/// connection to the loops in turn, owns the connections handed to it, and sweeps their deadlines.
final class ServerLoop: IOHandler, @unchecked Sendable {
    // @unchecked Sendable: created on any thread, but every method and all mutable state are
    // used only on `loop`'s thread (HTTPServer reaches it through `loop.execute`); debug builds
    // assert it.

    let loop: EventLoop
    let configuration: HTTPServerConfiguration
    let responder: any HTTPResponder
    let headerTimeout: UInt64
    let idleTimeout: UInt64
    /// One read buffer per loop: connections keep only the bytes they received, so an idle
    /// connection costs little memory.
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    private(set) var date = HTTPDate()
    private(set) var isShuttingDown = false

    private let listener: Int32
    private let limiter: ConnectionLimiter
    private let logger: Logger
    private var connections: [Int32: Connection] = [:]
    private var isAccepting = false
    private var resumeTimer: ScheduledTimer?
    private var sweepTimer: ScheduledTimer?
    private let descriptorReport: DescriptorExhaustionReport
    /// Every loop's server, this one included. EPOLLEXCLUSIVE wakes whichever loop the kernel
    /// picks, often the same one through a burst of connects, and a connection stays on its loop
    /// for life: dealt out in turn, each loop carries its share.
    private var owners: [ServerLoop] = []
    private var nextOwner = 0

    private static let sweepInterval: UInt64 = 250_000_000
    /// Accepts per readiness report, so a loop flooded with new connections still serves its others.
    private static let acceptBatch = 64
    /// How long accepting pauses after the process ran out of descriptors, unless one frees first.
    private static let descriptorPause: UInt64 = 100_000_000

    init(loop: EventLoop, listener: Int32, configuration: HTTPServerConfiguration, responder: any HTTPResponder,
         limiter: ConnectionLimiter, descriptorReport: DescriptorExhaustionReport, logger: Logger) {
        self.loop = loop
        self.listener = listener
        self.configuration = configuration
        self.responder = responder
        self.limiter = limiter
        self.descriptorReport = descriptorReport
        self.logger = logger
        headerTimeout = UInt64(configuration.headerTimeout * 1e9)
        idleTimeout = UInt64(configuration.idleTimeout * 1e9)
    }

    deinit {
        readBuffer.deallocate()
    }

    /// `owners` are every loop's servers; `position` is this one's, where its turns start.
    func start(owners: [ServerLoop], position: Int) {
        loop.assertOnLoop()
        self.owners = owners
        nextOwner = position
        date.refresh()
        resumeAccepting()
        sweep()
    }

    /// The listener is readable: accept what is waiting.
    func handle(_ events: IOEvents) {
        for _ in 0..<Self.acceptBatch where isAccepting {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let descriptor = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    accept4(listener, $0, &length, Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue))
                }
            }
            guard descriptor >= 0 else {
                if errno == EMFILE || errno == ENFILE { pauseAccepting() }
                return
            }
            guard let peer = IPAddress(storage), limiter.open(from: peer) else {
                Glibc.close(descriptor)
                continue
            }
            let owner = owners[nextOwner]
            nextOwner = (nextOwner + 1) % owners.count
            if owner === self {
                adopt(descriptor, from: peer)
            } else {
                owner.loop.execute { owner.adopt(descriptor, from: peer) }
            }
        }
    }

    /// Takes a connection accepted here or on another loop. One handed over while this loop
    /// began shutting down is closed at once.
    private func adopt(_ descriptor: Int32, from peer: IPAddress) {
        loop.assertOnLoop()
        guard !isShuttingDown else {
            Glibc.close(descriptor)
            limiter.closed(from: peer)
            return
        }
        try? setOption(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
        let connection = Connection(descriptor: descriptor, peer: peer, server: self)
        connections[descriptor] = connection
        connection.start()
    }

    func connectionClosed(_ connection: Connection) {
        connections[connection.descriptor] = nil
        limiter.closed(from: connection.peer)
        // A descriptor just freed: accepting can go on at once.
        if !isAccepting && resumeTimer != nil { resumeAccepting() }
    }

    /// Stops accepting, closes idle connections and lets the others finish their current request.
    func beginShutdown() {
        isShuttingDown = true
        stopAccepting()
        for connection in Array(connections.values) {
            connection.finishAfterCurrentRequest()
        }
    }

    func closeAll() {
        for connection in Array(connections.values) {
            connection.close()
        }
    }

    /// Shutdown is complete: nothing more to sweep, nor to hand over (which also lets the
    /// loops' servers, which reference each other, go).
    func stop() {
        closeAll()
        owners = []
        sweepTimer.map(loop.cancel)
        sweepTimer = nil
    }

    /// Out of descriptors, the listener stays readable and every accept fails: stop watching it
    /// until a connection closes or a short pause passes, instead of spinning.
    private func pauseAccepting() {
        stopAccepting()
        if descriptorReport.shouldReport(now: loop.now) {
            logger.error("Out of file descriptors: accepting pauses until one frees; raise the open-files limit or lower MAX_CONNECTIONS",
                         metadata: ["openConnections": "\(limiter.current)"])
        }
        resumeTimer = loop.schedule(at: loop.now &+ Self.descriptorPause) { [self] in
            resumeTimer = nil
            resumeAccepting()
        }
    }

    private func resumeAccepting() {
        if let resumeTimer {
            loop.cancel(resumeTimer)
            self.resumeTimer = nil
        }
        guard !isAccepting, !isShuttingDown else { return }
        do {
            // EPOLLEXCLUSIVE: one loop wakes per incoming connection, not all of them.
            try loop.register(listener, for: [.readable, .exclusive], handler: self)
            isAccepting = true
        } catch {
            logger.critical("Cannot watch the listening socket", metadata: ["error": "\(error)"])
        }
    }

    private func stopAccepting() {
        guard isAccepting else { return }
        loop.deregister(listener)
        isAccepting = false
    }

    private func sweep() {
        date.refresh()
        let now = loop.now
        for connection in connections.values where connection.deadline <= now {
            connection.deadlineExpired()
        }
        sweepTimer = loop.schedule(at: now &+ Self.sweepInterval) { [self] in sweep() }
    }
}
