import Glibc
import Synchronization

/// A fixed set of event loops, one thread each, started together and ended together: `shutdown`
/// returns once every loop thread has been joined.
public final class EventLoopGroup: Sendable {
    public let loops: [EventLoop]
    private let threads: [JoinableThread]
    private let cursor = Atomic<Int>(0)

    public init(name: String = "event-loop", count: Int = System.coreCount) throws(ReactorError) {
        var loops: [EventLoop] = []
        for index in 0..<max(1, count) {
            loops.append(try EventLoop(name: "\(name)-\(index)"))
        }
        self.loops = loops
        threads = loops.map { loop in JoinableThread(name: loop.name) { loop.run() } }
    }

    /// The loops in turn, for spreading work that has no loop of its own.
    public func next() -> EventLoop {
        loops[cursor.add(1, ordering: .relaxed).oldValue % loops.count]
    }

    /// Lets each loop finish the work already queued, then ends and joins its thread.
    public func shutdown() {
        loops.forEach { $0.stop() }
        threads.forEach { $0.join() }
    }
}

public enum System {
    public static var coreCount: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}
