import CLinuxIO
import Glibc

/// An OS thread that its owner ends by joining, so shutdown is complete when `join` returns:
/// nothing the thread touches is torn down under it, and tests never sleep to "let it finish".
public final class JoinableThread: Sendable {
    /// Written once by `pthread_create` before `init` returns, read only by `join`.
    private nonisolated(unsafe) var thread = pthread_t()

    /// Starts `body` on a new thread named `name` (Linux keeps the first 15 bytes).
    public init(name: String, stackSize: Int = 1 << 20, _ body: @escaping @Sendable () -> Void) {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, stackSize)
        let start = Unmanaged.passRetained(Start(name: name, body: body)).toOpaque()
        let status = pthread_create(&thread, &attributes, { argument in
            let start = Unmanaged<Start>.fromOpaque(argument!).takeRetainedValue()
            pthread_setname_np(pthread_self(), String(start.name.utf8.prefix(15))!)
            start.body()
            return nil
        }, start)
        precondition(status == 0, "pthread_create failed: \(String(cString: strerror(status)))")
    }

    /// Waits for the thread to end. Call once, from another thread.
    public func join() {
        pthread_join(thread, nil)
    }

    private final class Start: Sendable {
        let name: String
        let body: @Sendable () -> Void

        init(name: String, body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }
    }
}
