import Reactor
/// What the server knows about a request besides its bytes, plus a typed store where middleware
/// leaves what it found (cookies, the authenticated principal, the client IP) for handlers.
///
/// A context is used by one thread at a time: created on an I/O thread, then handed whole to
/// the worker that runs the middleware chain.
public final class RequestContext: @unchecked Sendable {
    /// The peer's IP address as the socket reports it.
    public let remoteAddress: String
    /// Values of the matched route's `:name` segments, percent-decoded.
    public let parameters: [String: String]
    /// The matched route's pattern (`/api/auth/sessions/:id`), for logs and metrics; nil when none matched.
    public let route: String?
    /// Monotonic nanoseconds at which the request was complete.
    public let receivedAt: UInt64
    /// True for responses the server makes itself (malformed request, timeout, overload): no
    /// handler runs, and middleware that would do work for a real request should pass.
    public let isServerGenerated: Bool
    public var requestID = ""

    private var storage: [ObjectIdentifier: Any] = [:]

    public init(remoteAddress: String, parameters: [String: String] = [:], route: String? = nil,
                receivedAt: UInt64 = MonotonicClock.now(), isServerGenerated: Bool = false) {
        self.remoteAddress = remoteAddress
        self.parameters = parameters
        self.route = route
        self.receivedAt = receivedAt
        self.isServerGenerated = isServerGenerated
    }

    public subscript<Key: RequestContextKey>(_ key: Key.Type) -> Key.Value? {
        get { storage[ObjectIdentifier(key)] as? Key.Value }
        set { storage[ObjectIdentifier(key)] = newValue }
    }
}

/// Names a typed value in a `RequestContext`.
public protocol RequestContextKey {
    associatedtype Value
}
