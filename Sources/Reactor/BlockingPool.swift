import CLinuxIO
import Glibc

/// A few threads for work that blocks its thread (bcrypt's CPU, libcurl's network calls), with a
/// bounded queue. Callers `await` the result, so a waiting request holds no thread of its own:
/// a flood of such work fills this queue, and past its bound callers are refused at once
/// (`Overloaded`, answered 503) instead of everything else slowing down.
public final class BlockingPool: Sendable {
    public struct Overloaded: Error, Sendable {}

    public let name: String
    public let threadCount: Int
    /// Jobs that may wait for a free thread before `run` refuses more.
    public let queueLimit: Int

    private let state = Monitor(State())
    private let threads: Monitor<[JoinableThread]> = Monitor([])

    /// A queued job, and what to do once its thread is free again (resuming a waiting caller:
    /// only after the thread counts as idle, so that the caller's next submission finds room).
    private typealias Job = @Sendable () -> (@Sendable () -> Void)?

    private struct State {
        var queue: [Job] = []
        var head = 0
        var busy = 0
        var stopping = false

        var waiting: Int { queue.count - head }
    }

    /// `niceness` above 0 lowers the threads' scheduling priority: CPU-bound work (bcrypt)
    /// then yields the cores to the event loops whenever they have something to do, so the
    /// latency of every other request does not depend on how much hashing is queued.
    public init(name: String, threads threadCount: Int, queueLimit: Int, niceness: Int32 = 0) {
        self.name = name
        self.threadCount = max(1, threadCount)
        self.queueLimit = max(0, queueLimit)
        let started = (0..<self.threadCount).map { index in
            JoinableThread(name: "\(name)-\(index)") { [self] in
                // On Linux a thread's nice value is its own (PRIO_PROCESS with its thread id).
                if niceness != 0 { setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(gettid()), niceness) }
                work()
            }
        }
        threads.withLock { $0 = started }
    }

    /// Jobs waiting for a thread.
    public var queueDepth: Int {
        state.withLock { $0.waiting }
    }

    /// Threads running a job.
    public var busy: Int {
        state.withLock { $0.busy }
    }

    /// Runs `body` on one of the pool's threads and resumes the caller with its result.
    /// Throws `Overloaded` at once when every thread is busy and the queue is full.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<T, any Error>) in
            let accepted = enqueue {
                let result = Result { try body() }
                return { continuation.resume(with: result) }
            }
            if !accepted { continuation.resume(throwing: Overloaded()) }
        }
    }

    /// Queues `job`; false when every thread is busy and the queue is full, or the pool is stopping.
    @discardableResult
    public func submit(_ job: @escaping @Sendable () -> Void) -> Bool {
        enqueue {
            job()
            return nil
        }
    }

    private func enqueue(_ job: @escaping Job) -> Bool {
        let accepted = state.withLock { state in
            guard !state.stopping, state.waiting < queueLimit + (threadCount - state.busy) else { return false }
            state.queue.append(job)
            return true
        }
        if accepted { state.signal() }
        return accepted
    }

    /// Lets queued jobs finish, then ends and joins the threads.
    public func shutdown() {
        state.withLock { $0.stopping = true }
        state.broadcast()
        threads.withLock { threads in
            threads.forEach { $0.join() }
            threads = []
        }
    }

    private func work() {
        while true {
            let job = state.withLock(when: { $0.waiting > 0 || $0.stopping }) { state -> Job? in
                guard state.waiting > 0 else { return nil }
                let job = state.queue[state.head]
                state.head += 1
                if state.head == state.queue.count {
                    state.queue.removeAll(keepingCapacity: true)
                    state.head = 0
                }
                state.busy += 1
                return job
            }
            guard let job else { return }
            let afterwards = job()
            state.withLock { $0.busy -= 1 }
            afterwards?()
        }
    }
}
