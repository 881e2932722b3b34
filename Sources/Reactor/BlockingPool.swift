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

    private struct State {
        var queue: [@Sendable () -> Void] = []
        var head = 0
        var busy = 0
        var stopping = false

        var waiting: Int { queue.count - head }
    }

    public init(name: String, threads threadCount: Int, queueLimit: Int) {
        self.name = name
        self.threadCount = max(1, threadCount)
        self.queueLimit = max(0, queueLimit)
        let started = (0..<self.threadCount).map { index in
            JoinableThread(name: "\(name)-\(index)") { [self] in work() }
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
            let accepted = submit {
                continuation.resume(with: Result { try body() })
            }
            if !accepted { continuation.resume(throwing: Overloaded()) }
        }
    }

    /// Queues `job`; false when every thread is busy and the queue is full, or the pool is stopping.
    @discardableResult
    public func submit(_ job: @escaping @Sendable () -> Void) -> Bool {
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
            let job = state.withLock(when: { $0.waiting > 0 || $0.stopping }) { state -> (@Sendable () -> Void)? in
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
            job()
            state.withLock { $0.busy -= 1 }
        }
    }
}
