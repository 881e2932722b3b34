import Reactor
import CLinuxIO
import Foundation
import Glibc
import Logging

/// One thread running epoll over its share of the connections. Everything a connection does
/// happens here, except running `.worker` routes, whose responses come back via `execute`.
final class EventLoop: @unchecked Sendable {
    let application: HTTPApplication
    let workers: WorkerPool
    let configuration: HTTPServerConfiguration
    let epoll: Int32
    /// One read buffer per loop: connections keep only the bytes they received, so an idle
    /// connection costs little memory.
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    let headerTimeout: UInt64
    let idleTimeout: UInt64
    private(set) var now = MonotonicClock.now()
    private(set) var date = HTTPDate()
    private(set) var isShuttingDown = false

    private let counter: ConnectionCounter
    private let logger: Logger
    private let wakeup: Int32
    private let listener: Int32
    private var connections: [Int32: Connection] = [:]
    private var running = true
    private let taskLock = NSLock()
    private var tasks: [() -> Void] = []
    private var nextSweep: UInt64 = 0
    private var thread: Thread?

    private static let listenerToken = UInt64.max
    private static let wakeupToken = UInt64.max - 1
    private static let sweepInterval: UInt64 = 250_000_000

    init(application: HTTPApplication, workers: WorkerPool, configuration: HTTPServerConfiguration,
         listener: Int32, counter: ConnectionCounter, logger: Logger) throws {
        self.application = application
        self.workers = workers
        self.configuration = configuration
        self.listener = listener
        self.counter = counter
        self.logger = logger
        headerTimeout = UInt64(configuration.headerTimeout * 1e9)
        idleTimeout = UInt64(configuration.idleTimeout * 1e9)
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else { throw SocketError.lastError("epoll_create1") }
        wakeup = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard wakeup >= 0 else { throw SocketError.lastError("eventfd") }
        try watch(wakeup, token: EventLoop.wakeupToken, events: EPOLLIN.rawValue)
        // EPOLLEXCLUSIVE: one loop wakes per incoming connection, not all of them.
        try watch(listener, token: EventLoop.listenerToken, events: EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue)
        date.refresh()
    }

    func start(name: String) {
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.stackSize = 1 << 20
        self.thread = thread
        thread.start()
    }

    /// Runs `task` on this loop's thread; callable from any thread.
    func execute(_ task: @escaping () -> Void) {
        taskLock.lock()
        let wasEmpty = tasks.isEmpty
        tasks.append(task)
        taskLock.unlock()
        if wasEmpty {
            var one: UInt64 = 1
            _ = Glibc.write(wakeup, &one, 8)
        }
    }

    /// Stops accepting, closes idle connections and lets the others finish their current request.
    func beginShutdown() {
        execute { [self] in
            isShuttingDown = true
            epoll_ctl(epoll, EPOLL_CTL_DEL, listener, nil)
            for connection in Array(connections.values) {
                connection.finishAfterCurrentRequest()
            }
        }
    }

    /// Closes whatever is still open and ends the thread.
    func stop() {
        execute { [self] in
            for connection in Array(connections.values) {
                connection.close()
            }
            running = false
        }
    }

    func connectionClosed(_ connection: Connection) {
        connections[connection.descriptor] = nil
        counter.closed()
    }

    private func run() {
        let capacity: Int32 = 256
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: Int(capacity))
        defer {
            events.deallocate()
            readBuffer.deallocate()
            Glibc.close(wakeup)
            Glibc.close(epoll)
        }
        while running {
            let count = epoll_wait(epoll, events, capacity, 250)
            now = MonotonicClock.now()
            if count < 0 && errno != EINTR {
                logger.critical("epoll_wait failed", metadata: ["error": "\(SocketError.lastError("epoll_wait"))"])
                return
            }
            for index in 0..<Int(max(count, 0)) {
                let event = events[index]
                switch event.data.u64 {
                case EventLoop.listenerToken: acceptConnections()
                case EventLoop.wakeupToken: drainWakeups()
                default: connections[event.data.fd]?.handle(events: event.events)
                }
            }
            runTasks()
            if now >= nextSweep {
                sweep()
            }
        }
    }

    private func acceptConnections() {
        // A bounded batch, so one loop flooded with new connections still serves its others.
        for _ in 0..<64 where !isShuttingDown {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let descriptor = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    accept4(listener, $0, &length, Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue))
                }
            }
            guard descriptor >= 0 else {
                if errno == EMFILE || errno == ENFILE {
                    logger.error("Out of file descriptors; raise the open-files limit")
                }
                return
            }
            guard counter.open(limit: configuration.maxConnections) else {
                Glibc.close(descriptor)
                continue
            }
            try? setOption(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
            let connection = Connection(descriptor: descriptor, remoteAddress: SocketAddress(storage).host, loop: self)
            connections[descriptor] = connection
            if !connection.register() {
                connection.close()
            }
        }
    }

    private func drainWakeups() {
        var value: UInt64 = 0
        _ = Glibc.read(wakeup, &value, 8)
    }

    private func runTasks() {
        taskLock.lock()
        guard !tasks.isEmpty else {
            taskLock.unlock()
            return
        }
        let batch = tasks
        tasks.removeAll(keepingCapacity: true)
        taskLock.unlock()
        for task in batch {
            task()
        }
    }

    private func sweep() {
        nextSweep = now &+ EventLoop.sweepInterval
        date.refresh()
        for connection in connections.values where connection.deadline <= now {
            connection.deadlineExpired()
        }
    }

    private func watch(_ descriptor: Int32, token: UInt64, events: UInt32) throws {
        var event = epoll_event()
        event.events = events
        event.data.u64 = token
        guard epoll_ctl(epoll, EPOLL_CTL_ADD, descriptor, &event) == 0 else {
            throw SocketError.lastError("epoll_ctl")
        }
    }
}
