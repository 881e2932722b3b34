/// The rest of a route's chain, as a middleware sees it: call it to pass the request on.
public typealias Responder<Context> = @Sendable (HTTPRequest, inout Context) async throws -> HTTPResponse

/// One link of a route's chain: it may answer by itself, or call `next` and adjust what comes
/// back. Chains are composed once, when routes are added; a request only calls through them.
public protocol Middleware<Context>: Sendable {
    associatedtype Context: RequestContext

    /// Whether `handle` may wait for the database, bcrypt or an outbound call (see `Execution`).
    var execution: Execution { get }

    func handle(_ request: HTTPRequest, context: inout Context, next: Responder<Context>) async throws -> HTTPResponse
}

/// A route's handler, with what it may wait for.
public struct Handler<Context: RequestContext>: Sendable {
    public let execution: Execution
    let respond: Responder<Context>

    /// A handler that never waits: a synchronous function, so nothing in it can await the
    /// database, bcrypt or an outbound call.
    public static func inline(_ respond: @escaping @Sendable (HTTPRequest, inout Context) throws -> HTTPResponse) -> Handler {
        Handler(execution: .inline, respond: { request, context in try respond(request, &context) })
    }

    /// A handler that may wait for the database, bcrypt or an outbound call.
    public static func waits(_ respond: @escaping Responder<Context>) -> Handler {
        Handler(execution: .waits, respond: respond)
    }
}

extension Array {
    /// `handler` with these middlewares around it, the first outermost.
    func wrapping<Context>(_ handler: @escaping Responder<Context>) -> Responder<Context> where Element == any Middleware<Context> {
        reversed().reduce(handler) { next, middleware in
            { request, context in try await middleware.handle(request, context: &context, next: next) }
        }
    }
}
