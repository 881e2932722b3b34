import Glibc

/// Where the server listens and the limits that keep one client from hurting the others.
public struct HTTPServerConfiguration: Sendable {
    public var host = "0.0.0.0"
    /// 0 picks a free port (tests); `HTTPServer.port` tells which.
    public var port = 8080
    /// Threads running epoll; each serves many connections and never blocks.
    public var eventLoopCount = System.coreCount
    public var limits = HTTPLimits()
    /// Connections over this count are closed as soon as they are accepted.
    public var maxConnections = 10_000
    /// Time allowed to receive a whole request once its first byte arrived.
    public var headerTimeout: Double = 10
    /// Time a keep-alive connection may wait for its next request, and a stalled write for the peer.
    public var idleTimeout: Double = 60

    public init() {}
}

public enum System {
    public static var coreCount: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}
