/// What the server asks of the application: an answer to every request it parsed, and to the
/// failures it detected itself. The application renders both (its error shape, its headers);
/// the server only frames and sends the bytes.
public protocol HTTPResponder: Sendable {
    /// Runs as a task on the connection's event loop.
    func respond(to request: HTTPRequest, connection: ConnectionInfo) async -> HTTPResponse
    /// A request that could not be parsed, or did not arrive in time; the connection closes after.
    func respond(to failure: ServerFailure, connection: ConnectionInfo) async -> HTTPResponse
}

/// Failures the server detects before any route runs, thrown through the application's chain
/// so that it renders them like its own errors.
public enum ServerFailure: Error, Sendable {
    case malformed(HTTPParseError)
    /// The request's head (or body) took longer than `headerTimeout` to arrive.
    case requestTimeout
}

/// What the router found instead of a route, thrown through the application's chain.
public enum RoutingFailure: Error, Sendable {
    case notFound
    /// The path exists for other methods; `allowed` goes into the `Allow` header (RFC 9110 §15.5.6).
    case methodNotAllowed(allowed: [HTTPMethod])
}
