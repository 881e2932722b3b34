/// Produces the response to a request: a route's handler, or the rest of a middleware chain.
public typealias Handler = @Sendable (HTTPRequest, RequestContext) throws -> HTTPResponse

/// One link of the chain: it may answer by itself, or call `next` and adjust what comes back.
public protocol Middleware: Sendable {
    func handle(_ request: HTTPRequest, context: RequestContext, next: Handler) throws -> HTTPResponse
}

extension Array where Element == any Middleware {
    /// The handler with these middlewares around it, the first outermost.
    func wrapping(_ handler: @escaping Handler) -> Handler {
        reversed().reduce(handler) { next, middleware in
            { request, context in try middleware.handle(request, context: context, next: next) }
        }
    }
}
