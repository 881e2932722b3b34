import CLibCrypto

/// OpenSSL's per-thread error queue. A failing call leaves entries there; code that later runs
/// TLS on the same thread reads the queue to classify its own errors (SSL_get_error(3)), so
/// every failure we handle is drained before returning.
enum OpenSSLErrorQueue {
    /// The reason of the oldest queued error ("unknown" if none), and an empty queue.
    static func drain() -> String {
        let code = ERR_get_error()
        defer { ERR_clear_error() }
        guard code != 0, let reason = ERR_reason_error_string(code) else { return "unknown" }
        return String(cString: reason)
    }
}

extension OpenSSLErrorQueue {
    /// Empties the queue after a failure whose reason does not matter (a signature that does not verify).
    static func clear() {
        ERR_clear_error()
    }
}
