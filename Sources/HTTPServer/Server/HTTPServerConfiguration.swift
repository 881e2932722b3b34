/// Where the server listens and the limits that keep one client from hurting the others.
public struct HTTPServerConfiguration: Sendable {
    public var host = "0.0.0.0"
    /// 0 picks a free port (tests); `HTTPServer.port` tells which.
    public var port = 8080
    public var limits = HTTPLimits()
    /// Connections over this count are closed as soon as they are accepted.
    public var maxConnections = 10_000
    /// Connections one client may hold at once (an IPv4 address, or an IPv6 /64); more are
    /// closed as soon as they are accepted.
    public var maxConnectionsPerClient = 256
    /// Peers the per-client cap does not apply to: trusted proxies carry many clients.
    public var isExemptFromClientLimit: @Sendable (IPAddress) -> Bool = { _ in false }
    /// Time allowed to receive a whole request head (and body), counted from the accept for a
    /// new connection and from the first byte for a request on a kept-alive one.
    public var headerTimeout: Double = 10
    /// Time a keep-alive connection may wait for its next request, and a stalled write for the peer.
    public var idleTimeout: Double = 60

    public init() {}
}
