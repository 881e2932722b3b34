import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Waits for a socket with a deadline, for the few libpq calls that must not block unbounded.
enum SocketWait {
    enum Readiness {
        case readable, writable
    }

    /// true when the socket is ready (or in error, which the next libpq call reports) before
    /// `deadline`; false on timeout. A past deadline makes it a non-blocking check.
    static func wait(_ socket: Int32, until readiness: Readiness, deadline: Date) -> Bool {
        var descriptor = pollfd(fd: socket, events: Int16(readiness == .readable ? POLLIN : POLLOUT), revents: 0)
        while true {
            let remaining = deadline.timeIntervalSinceNow
            let milliseconds = Int32(max(0, min((remaining * 1000).rounded(.up), Double(Int32.max))))
            let ready = poll(&descriptor, 1, milliseconds)
            if ready > 0 { return true }
            if ready == 0 && milliseconds == 0 { return false }
            if ready < 0 && errno != EINTR { return true }
        }
    }
}
