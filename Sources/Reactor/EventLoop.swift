import CLinuxIO
import Glibc
import Synchronization

/// One thread running epoll: it watches descriptors, fires timers, and runs the jobs of the
/// Swift tasks that prefer it as their executor. A request's task, its database queries and
/// its socket all live on one loop, so none of them needs a lock or a thread hop.
///
/// Everything but `execute`, `enqueue` and `stop` must be called on the loop's own thread;
/// debug builds check it.
public final class EventLoop: @unchecked Sendable {
    // @unchecked Sendable: the state below `remote` is touched only on the loop's thread
    // (asserted in debug builds through `assertOnLoop`); `remote` is behind its mutex, and the
    // descriptors and `loopThread` are set once or atomic.

    public let name: String
    /// Monotonic nanoseconds read once per wake-up: every deadline computed in one batch of
    /// events agrees, and the clock is not read per request.
    public private(set) var now: UInt64

    private let epoll: Int32
    private let wakeup: Int32
    private let loopThread = Atomic<UInt>(0)
    private let remote = Mutex(RemoteQueue())
    /// Names `remote` to ThreadSanitizer, which cannot see the Mutex itself.
    private var remoteAddress: UnsafeRawPointer { UnsafeRawPointer(Unmanaged.passUnretained(self).toOpaque()) }
    private var handlers: [IOHandler?] = []
    private var timers = TimerQueue()
    private var local: [Work] = []
    private var localHead = 0
    private var beforeWaiting: [() -> Void] = []
    private var running = true

    /// Jobs and closures run per wake-up before epoll is asked again, so a storm of work
    /// cannot starve the sockets.
    private static let workBudget = 4096

    private enum Work {
        case job(UnownedJob)
        case closure(() -> Void)
    }

    private struct RemoteQueue: ~Copyable {
        var work: [SendableWork] = []
        var wakeupPending = false
    }

    private enum SendableWork: Sendable {
        case job(UnownedJob)
        case closure(@Sendable () -> Void)
    }

    init(name: String) throws(ReactorError) {
        self.name = name
        now = MonotonicClock.now()
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else { throw .lastError("epoll_create1") }
        wakeup = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard wakeup >= 0 else {
            Glibc.close(epoll)
            throw .lastError("eventfd")
        }
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.fd = wakeup
        guard epoll_ctl(epoll, EPOLL_CTL_ADD, wakeup, &event) == 0 else { throw .lastError("epoll_ctl") }
    }

    /// The loop whose thread is running the caller, if any.
    public static var current: EventLoop? {
        pthread_getspecific(currentKey).map { Unmanaged<EventLoop>.fromOpaque($0).takeUnretainedValue() }
    }

    private static let currentKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    public var isCurrent: Bool {
        loopThread.load(ordering: .relaxed) == UInt(pthread_self())
    }

    /// Debug builds stop here when loop-bound state is touched from another thread.
    @inline(__always)
    public func assertOnLoop(file: StaticString = #fileID, line: UInt = #line) {
        assert(isCurrent, "\(name): called off its event loop", file: file, line: line)
    }

    // MARK: Work from any thread

    /// Runs `closure` on the loop's thread, soon; callable from any thread.
    public func execute(_ closure: @escaping @Sendable () -> Void) {
        if isCurrent {
            local.append(.closure(closure))
        } else {
            enqueueRemote(.closure(closure))
        }
    }

    /// Ends `run` after the work already queued; callable from any thread.
    func stop() {
        execute { [self] in running = false }
    }

    private func enqueueRemote(_ work: SendableWork) {
        let mustWake = remote.withLock { queue in
            ThreadSanitizer.acquire(remoteAddress)
            defer { ThreadSanitizer.release(remoteAddress) }
            queue.work.append(work)
            defer { queue.wakeupPending = true }
            return !queue.wakeupPending
        }
        if mustWake {
            var one: UInt64 = 1
            _ = Glibc.write(wakeup, &one, 8)
        }
    }

    // MARK: Descriptors, timers, end-of-batch actions (loop thread)

    /// Watches `descriptor` for `events`; `handler` is called on this loop until `deregister`.
    public func register(_ descriptor: Int32, for events: IOEvents, handler: IOHandler) throws(ReactorError) {
        assertOnLoop()
        try control(EPOLL_CTL_ADD, descriptor, events)
        let index = Int(descriptor)
        if index >= handlers.count {
            handlers.append(contentsOf: repeatElement(nil, count: max(index + 1, handlers.count * 2) - handlers.count))
        }
        handlers[index] = handler
    }

    public func modify(_ descriptor: Int32, for events: IOEvents) throws(ReactorError) {
        assertOnLoop()
        try control(EPOLL_CTL_MOD, descriptor, events)
    }

    /// Stops watching `descriptor`; call before closing it.
    public func deregister(_ descriptor: Int32) {
        assertOnLoop()
        _ = epoll_ctl(epoll, EPOLL_CTL_DEL, descriptor, nil)
        if Int(descriptor) < handlers.count { handlers[Int(descriptor)] = nil }
    }

    /// Runs `action` on this loop once `now` reaches `deadline` (monotonic nanoseconds).
    @discardableResult
    public func schedule(at deadline: UInt64, _ action: @escaping () -> Void) -> ScheduledTimer {
        assertOnLoop()
        return ScheduledTimer(id: timers.schedule(at: deadline, action))
    }

    public func cancel(_ timer: ScheduledTimer) {
        assertOnLoop()
        timers.cancel(timer.id)
    }

    /// Runs `action` once, after the work of this wake-up and before the loop waits again:
    /// where writes queued by many tasks are flushed together.
    public func runBeforeWaiting(_ action: @escaping () -> Void) {
        assertOnLoop()
        beforeWaiting.append(action)
    }

    private func control(_ operation: Int32, _ descriptor: Int32, _ events: IOEvents) throws(ReactorError) {
        var event = epoll_event()
        event.events = events.rawValue
        event.data.fd = descriptor
        guard epoll_ctl(epoll, operation, descriptor, &event) == 0 else { throw .lastError("epoll_ctl") }
    }

    // MARK: The loop

    func run() {
        loopThread.store(UInt(pthread_self()), ordering: .relaxed)
        pthread_setspecific(Self.currentKey, Unmanaged.passUnretained(self).toOpaque())
        let capacity: Int32 = 256
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: Int(capacity))
        defer {
            events.deallocate()
            Glibc.close(wakeup)
            Glibc.close(epoll)
        }
        while running {
            let count = epoll_wait(epoll, events, capacity, waitTimeout())
            now = MonotonicClock.now()
            for index in 0..<Int(max(count, 0)) {
                dispatch(events[index])
            }
            while let action = timers.popDue(now: now) {
                action()
            }
            runWork()
        }
    }

    /// Milliseconds epoll may sleep: not at all with work pending, else until the next timer.
    private func waitTimeout() -> Int32 {
        if localHead < local.count || !beforeWaiting.isEmpty { return 0 }
        guard let deadline = timers.nextDeadline else { return -1 }
        let current = MonotonicClock.now()
        guard deadline > current else { return 0 }
        return Int32(min((deadline - current + 999_999) / 1_000_000, 60_000))
    }

    private func dispatch(_ event: epoll_event) {
        let descriptor = event.data.fd
        if descriptor == wakeup {
            var value: UInt64 = 0
            _ = Glibc.read(wakeup, &value, 8)
            return
        }
        guard Int(descriptor) < handlers.count, let handler = handlers[Int(descriptor)] else { return }
        handler.handle(IOEvents(rawValue: event.events))
    }

    private func runWork() {
        var budget = Self.workBudget
        repeat {
            takeRemoteWork()
            while localHead < local.count && budget > 0 {
                let work = local[localHead]
                localHead += 1
                budget -= 1
                switch work {
                case .job(let job): job.runSynchronously(on: asUnownedTaskExecutor())
                case .closure(let closure): closure()
                }
            }
            if localHead == local.count {
                local.removeAll(keepingCapacity: local.capacity <= 1024)
                localHead = 0
            }
            if localHead == local.count && !beforeWaiting.isEmpty {
                let actions = beforeWaiting
                beforeWaiting.removeAll(keepingCapacity: true)
                actions.forEach { $0() }
            }
        } while localHead < local.count && budget > 0
    }

    private func takeRemoteWork() {
        let work = remote.withLock { queue -> [SendableWork] in
            ThreadSanitizer.acquire(remoteAddress)
            defer { ThreadSanitizer.release(remoteAddress) }
            queue.wakeupPending = false
            guard !queue.work.isEmpty else { return [] }
            defer { queue.work = [] }
            return queue.work
        }
        for item in work {
            switch item {
            case .job(let job): local.append(.job(job))
            case .closure(let closure): local.append(.closure(closure))
            }
        }
    }
}

extension EventLoop: TaskExecutor {
    /// Runs the jobs of tasks that prefer this loop (`Task(executorPreference: loop)`), and
    /// their continuations after every suspension, on the loop's thread.
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        if isCurrent {
            local.append(.job(job))
        } else {
            enqueueRemote(.job(job))
        }
    }
}

/// A timer set with `EventLoop.schedule`, for cancelling it.
public struct ScheduledTimer: Sendable, Hashable {
    let id: UInt64
}
