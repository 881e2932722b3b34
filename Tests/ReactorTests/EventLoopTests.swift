import Glibc
import Reactor
import Synchronization
import Testing

@Suite("EventLoop")
struct EventLoopTests {
    @Test func tasksThatPreferALoopRunOnItsThreadAcrossSuspensions() async throws {
        let group = try EventLoopGroup(name: "test-loop", count: 2)
        defer { group.shutdown() }
        let loop = group.loops[1]
        let pool = BlockingPool(name: "test-pool", threads: 1, queueLimit: 4)
        defer { pool.shutdown() }
        let onLoop = try await Task(executorPreference: loop) { () async throws -> [Bool] in
            let before = loop.isCurrent && EventLoop.current === loop
            let offLoop = try await pool.run { EventLoop.current == nil }
            let after = loop.isCurrent
            return [before, offLoop, after]
        }.value
        #expect(onLoop == [true, true, true])
    }

    @Test func executeAndTimersRunOnTheLoopInDeadlineOrder() async throws {
        let group = try EventLoopGroup(name: "test-loop", count: 1)
        defer { group.shutdown() }
        let loop = group.loops[0]
        let order = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[Int], any Error>) in
            loop.execute {
                nonisolated(unsafe) var fired: [Int] = []
                let start = loop.now
                loop.schedule(at: start + 30_000_000) { fired.append(3); continuation.resume(returning: fired) }
                loop.schedule(at: start + 10_000_000) { fired.append(1) }
                let cancelled = loop.schedule(at: start + 20_000_000) { fired.append(99) }
                loop.schedule(at: start + 20_000_000) { fired.append(2) }
                loop.cancel(cancelled)
            }
        }
        #expect(order == [1, 2, 3])
    }

    @Test func descriptorsAreReportedToTheirHandler() async throws {
        let group = try EventLoopGroup(name: "test-loop", count: 1)
        defer { group.shutdown() }
        let loop = group.loops[0]
        var pipeEnds: [Int32] = [0, 0]
        #expect(pipe(&pipeEnds) == 0)
        defer { close(pipeEnds[0]); close(pipeEnds[1]) }
        let reader = pipeEnds[0]
        let received = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<UInt8, any Error>) in
            loop.execute {
                let handler = PipeReader(descriptor: reader, loop: loop) { continuation.resume(returning: $0) }
                do {
                    try loop.register(reader, for: .readable, handler: handler)
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            var byte: UInt8 = 42
            _ = write(pipeEnds[1], &byte, 1)
        }
        #expect(received == 42)
    }

    @Test func aFullBlockingPoolRefusesAtOnceAndShutdownJoinsItsThreads() async throws {
        let pool = BlockingPool(name: "test-pool", threads: 1, queueLimit: 1)
        let release = Monitor(false)
        #expect(pool.submit { release.withLock(when: { $0 }) { _ in } })
        #expect(pool.submit {})
        await #expect(throws: BlockingPool.Overloaded.self) { try await pool.run { 1 } }
        release.withLock { $0 = true }
        release.broadcast()
        pool.shutdown()
        #expect(pool.queueDepth == 0 && pool.busy == 0)
        #expect(!pool.submit {})
    }
}

private final class PipeReader: IOHandler {
    let descriptor: Int32
    let loop: EventLoop
    let received: (UInt8) -> Void

    init(descriptor: Int32, loop: EventLoop, received: @escaping (UInt8) -> Void) {
        self.descriptor = descriptor
        self.loop = loop
        self.received = received
    }

    func handle(_ events: IOEvents) {
        var byte: UInt8 = 0
        guard read(descriptor, &byte, 1) == 1 else { return }
        loop.deregister(descriptor)
        received(byte)
    }
}
