/// The rest of a route's chain, as a middleware sees it: call it to pass the request on.
///
/// A chain is a value of nested generic steps, composed once when its route is added: a request
/// makes one existential call into its route's chain and direct calls from there on. Closures
/// would do the same job, but calling an async closure costs a check of the task's executor
/// (a lock in the runtime) at every step.
public protocol Responder<Context>: Sendable {
    associatedtype Context: RequestContext

    func callAsFunction(_ request: HTTPRequest, _ context: inout Context) async throws -> HTTPResponse
}

/// One link of a route's chain: it may answer by itself, or call `next` and adjust what comes
/// back. Chains are composed once, when routes are added; a request only calls through them.
public protocol Middleware<Context>: Sendable {
    associatedtype Context: RequestContext

    /// Whether `handle` may wait for the database, bcrypt or an outbound call (see `Execution`).
    var execution: Execution { get }

    func handle(_ request: HTTPRequest, context: inout Context, next: some Responder<Context>) async throws -> HTTPResponse
}

/// A route's handler, with what it may wait for.
public struct Handler<Context: RequestContext>: Sendable {
    public let execution: Execution
    fileprivate let body: Body

    fileprivate enum Body: Sendable {
        case inline(@Sendable (HTTPRequest, inout Context) throws -> HTTPResponse)
        case waits(@Sendable (HTTPRequest, inout Context) async throws -> HTTPResponse)
    }

    /// A handler that never waits: a synchronous function, so nothing in it can await the
    /// database, bcrypt or an outbound call.
    public static func inline(_ respond: @escaping @Sendable (HTTPRequest, inout Context) throws -> HTTPResponse) -> Handler {
        Handler(execution: .inline, body: .inline(respond))
    }

    /// A handler that may wait for the database, bcrypt or an outbound call.
    public static func waits(_ respond: @escaping @Sendable (HTTPRequest, inout Context) async throws -> HTTPResponse) -> Handler {
        Handler(execution: .waits, body: .waits(respond))
    }
}

/// The end of a route's chain: its handler.
struct HandlerStep<Context: RequestContext>: Responder {
    let handler: Handler<Context>

    func callAsFunction(_ request: HTTPRequest, _ context: inout Context) async throws -> HTTPResponse {
        switch handler.body {
        case .inline(let respond): try respond(request, &context)
        case .waits(let respond): try await respond(request, &context)
        }
    }
}

/// The end of the chain for what no route takes: it throws what the router found instead.
struct FailureStep<Context: RequestContext>: Responder {
    let failure: any Error

    func callAsFunction(_ request: HTTPRequest, _ context: inout Context) async throws -> HTTPResponse {
        throw failure
    }
}

/// A middleware with the rest of the chain after it.
struct MiddlewareStep<Step: Middleware, Rest: Responder>: Responder where Step.Context == Rest.Context {
    let middleware: Step
    let rest: Rest

    func callAsFunction(_ request: HTTPRequest, _ context: inout Step.Context) async throws -> HTTPResponse {
        try await middleware.handle(request, context: &context, next: rest)
    }
}

extension Array {
    /// `last` with these middlewares around it, the first outermost.
    func composed<Context>(around last: some Responder<Context>) -> any Responder<Context> where Element == any Middleware<Context> {
        var chain: any Responder<Context> = last
        for middleware in reversed() {
            chain = step(middleware, before: chain)
        }
        return chain
    }
}

/// Takes both existentials opened, so that the step holds their concrete types.
private func step<Context>(_ middleware: some Middleware<Context>, before rest: some Responder<Context>) -> any Responder<Context> {
    MiddlewareStep(middleware: middleware, rest: rest)
}
