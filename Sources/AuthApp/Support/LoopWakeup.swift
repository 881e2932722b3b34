import Reactor
import Synchronization

/// Lets tasks on one event loop sleep until woken, or until a timeout that is a timer of the
/// loop: no thread is held while they wait. A wake that finds nobody waiting is kept for the
/// next `wait`, so one that comes between a poll that found nothing and the wait after it is not
/// lost. Once closed, every wait returns at once.
final class LoopWakeup: Sendable {
    private struct Waiter {
        let continuation: UnsafeContinuation<Void, Never>
        let timer: ScheduledTimer
    }

    private struct State {
        var waiters: [UInt64: Waiter] = [:]
        var nextID: UInt64 = 0
        var wakePending = false
        var closed = false
    }

    private let loop: EventLoop
    private let state = Mutex(State())

    init(loop: EventLoop) {
        self.loop = loop
    }

    /// Returns when woken, closed, or after `timeout` seconds.
    func wait(timeout: Double) async {
        await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
            onLoop { [self] in register(continuation, timeout: timeout) }
        }
    }

    /// Wakes every waiter; from any thread.
    func wake() {
        onLoop { [self] in resumeAll(closing: false) }
    }

    /// Wakes every waiter, and makes every later wait return at once; from any thread.
    func close() {
        onLoop { [self] in resumeAll(closing: true) }
    }

    private func register(_ continuation: UnsafeContinuation<Void, Never>, timeout: Double) {
        let ready = state.withLock { state in
            defer { state.wakePending = false }
            return state.closed || state.wakePending
        }
        guard !ready else { return continuation.resume() }
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        let timer = loop.schedule(at: loop.now &+ UInt64(max(0, timeout) * 1e9)) { [self] in
            state.withLock { $0.waiters.removeValue(forKey: id) }?.continuation.resume()
        }
        state.withLock { $0.waiters[id] = Waiter(continuation: continuation, timer: timer) }
    }

    private func resumeAll(closing: Bool) {
        let woken = state.withLock { state in
            if closing { state.closed = true }
            if state.waiters.isEmpty { state.wakePending = true }
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in woken {
            loop.cancel(waiter.timer)
            waiter.continuation.resume()
        }
    }

    /// Everything that touches timers runs on the loop's thread, in the order it was asked for.
    private func onLoop(_ body: @escaping @Sendable () -> Void) {
        if loop.isCurrent { body() } else { loop.execute(body) }
    }
}
