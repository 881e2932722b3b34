import Reactor

/// The application's per-request state (its principal, cookies, client IP...), made by the
/// server for each request and handed through the route's chain. A concrete type of the
/// application, so steps read typed fields instead of casting values out of a dictionary.
public protocol RequestContext: Sendable {
    init(request: HTTPRequest, route: MatchedRoute, connection: ConnectionInfo)
}

/// Which route a request matched, if any.
public struct MatchedRoute: Sendable {
    /// The route's pattern (`/api/auth/sessions/:id`): a bounded label for logs and metrics;
    /// nil when no route matched.
    public let pattern: String?
    /// Values of the pattern's `:name` segments, percent-decoded.
    public let parameters: [String: String]

    public static let none = MatchedRoute(pattern: nil, parameters: [:])
}

/// What the server knows of a request's connection.
public struct ConnectionInfo: Sendable {
    /// The peer's address as the socket reports it.
    public let remoteAddress: IPAddress
    /// `remoteAddress` as text, formatted once per connection.
    public let remoteHost: String
    /// The loop the connection, and the request's task, run on.
    public let loop: EventLoop
    /// Monotonic nanoseconds at which the request was complete.
    public let receivedAt: UInt64

    public init(remoteAddress: IPAddress, remoteHost: String, loop: EventLoop, receivedAt: UInt64) {
        self.remoteAddress = remoteAddress
        self.remoteHost = remoteHost
        self.loop = loop
        self.receivedAt = receivedAt
    }
}
