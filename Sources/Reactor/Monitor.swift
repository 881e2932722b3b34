import Glibc

/// State behind a mutex with a condition variable: threads wait inside `withLock` until another
/// thread changes the state and signals. For the blocking side of the server (pools of threads
/// that sleep until given work), never for the event loops.
public final class Monitor<State>: @unchecked Sendable {
    // @unchecked Sendable: `state` is read and written only between pthread_mutex_lock and
    // pthread_mutex_unlock of `mutex`, which is what makes a monitor safe to share.
    private var state: State
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    public init(_ state: State) {
        self.state = state
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    public func withLock<T>(_ body: (inout State) throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&state)
    }

    /// Waits until `isReady` holds (re-checked after every wake-up), then runs `body` under
    /// the same lock.
    public func withLock<T>(when isReady: (State) -> Bool, _ body: (inout State) throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while !isReady(state) {
            pthread_cond_wait(condition, mutex)
        }
        return try body(&state)
    }

    /// Like `withLock(when:_:)`, but gives up at `deadline` (monotonic nanoseconds); `body`
    /// then sees the state as it is and `timedOut` is true.
    public func withLock<T>(when isReady: (State) -> Bool, deadline: UInt64,
                            _ body: (inout State, _ timedOut: Bool) throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        var limit = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        var timedOut = false
        while !isReady(state) && !timedOut {
            timedOut = pthread_cond_timedwait(condition, mutex, &limit) == ETIMEDOUT
        }
        return try body(&state, timedOut && !isReady(state))
    }

    /// Wakes one waiter; call after changing the state.
    public func signal() {
        pthread_cond_signal(condition)
    }

    public func broadcast() {
        pthread_cond_broadcast(condition)
    }
}
