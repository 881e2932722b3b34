import Foundation

/// A fixed set of threads with a bounded queue, for work that must stay off the event loops:
/// blocking calls (libpq) and CPU-heavy ones (bcrypt). A full queue refuses new work at once
/// instead of growing: the caller answers 503.
public final class WorkerPool: @unchecked Sendable {
    public struct Overloaded: Error {}

    public let name: String
    public let threadCount: Int
    public let queueLimit: Int

    private let condition = NSCondition()
    private var queue: [@Sendable () -> Void] = []
    private var queueHead = 0
    private var busyThreads = 0
    private var stopping = false
    private var threads: [Thread] = []

    public init(name: String, threads threadCount: Int, queueLimit: Int) {
        self.name = name
        self.threadCount = max(1, threadCount)
        self.queueLimit = max(0, queueLimit)
        for index in 0..<self.threadCount {
            let thread = Thread { [unowned self] in self.work() }
            thread.name = "\(name)-\(index)"
            thread.start()
            threads.append(thread)
        }
    }

    /// Jobs waiting for a thread.
    public var queueDepth: Int {
        condition.lock()
        defer { condition.unlock() }
        return queue.count - queueHead
    }

    /// Threads running a job.
    public var busy: Int {
        condition.lock()
        defer { condition.unlock() }
        return busyThreads
    }

    /// Queues `job`; false when the queue is full or the pool is stopping.
    @discardableResult
    public func submit(_ job: @escaping @Sendable () -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !stopping, queue.count - queueHead < queueLimit + (threadCount - busyThreads) else { return false }
        queue.append(job)
        condition.signal()
        return true
    }

    /// Runs `body` on the pool and waits for it; throws `Overloaded` when the queue is full.
    public func run<T>(_ body: @escaping @Sendable () throws -> T) throws -> T {
        let outcome = Outcome<T>()
        guard submit({
            outcome.result = Result { try body() }
            outcome.done.signal()
        }) else { throw Overloaded() }
        outcome.done.wait()
        return try outcome.result!.get()
    }

    /// Lets queued jobs finish, then ends the threads.
    public func shutdown() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while queueHead == queue.count && !stopping {
                condition.wait()
            }
            if queueHead == queue.count {
                condition.unlock()
                return
            }
            let job = queue[queueHead]
            queueHead += 1
            if queueHead == queue.count {
                queue.removeAll(keepingCapacity: true)
                queueHead = 0
            }
            busyThreads += 1
            condition.unlock()

            job()

            condition.lock()
            busyThreads -= 1
            condition.unlock()
        }
    }
}

/// Carries a job's result back to the thread waiting on `done`.
private final class Outcome<T>: @unchecked Sendable {
    let done = DispatchSemaphore(value: 0)
    var result: Result<T, any Error>?
}
