/// A router with a global middleware chain around every route, the 404/405 answers, and the
/// server's own failures (malformed request, timeout, overload).
public struct HTTPApplication: Sendable {
    /// A matched request, ready to run.
    public struct Endpoint: Sendable {
        public let execution: Router.Execution
        public let route: String?
        public let parameters: [String: String]
        let handler: Handler
    }

    private let router: Router
    private let middleware: [any Middleware]
    private let notFound: Handler
    private let failure: Handler

    public init(router: Router, middleware: [any Middleware]) {
        var router = router
        router.wrapHandlers(in: middleware)
        self.router = router
        self.middleware = middleware
        notFound = middleware.wrapping { _, _ in throw HTTPError.notFound() }
        failure = middleware.wrapping { _, context in throw context[ServerFailureKey.self] ?? HTTPError.notFound() }
    }

    /// Finds the route; cheap and non-blocking, so it runs on the event loop.
    public func endpoint(for request: HTTPRequest) -> Endpoint {
        switch router.match(request.method, path: request.path) {
        case .found(let route, let parameters):
            return Endpoint(execution: route.execution, route: route.pattern, parameters: parameters, handler: route.handler)
        case .methodNotAllowed(let allowed):
            return Endpoint(execution: .eventLoop, route: nil, parameters: [:],
                            handler: middleware.wrapping { _, _ in throw HTTPError.methodNotAllowed(allowed: allowed) })
        case .notFound:
            return Endpoint(execution: .eventLoop, route: nil, parameters: [:], handler: notFound)
        }
    }

    /// Runs the endpoint; the middleware chain turns anything thrown into a response, and what
    /// still escapes it becomes a bare 500.
    public func respond(to request: HTTPRequest, at endpoint: Endpoint, context: RequestContext) -> HTTPResponse {
        do {
            return try endpoint.handler(request, context)
        } catch let error as HTTPError {
            return error.response
        } catch {
            return HTTPError.internalError(requestID: context.requestID).response
        }
    }

    /// The response to a failure the server detected itself, passed through the middleware so
    /// it carries the request id and security headers like any other.
    public func respond(to failure: HTTPError, request: HTTPRequest?, remoteAddress: String) -> HTTPResponse {
        let context = RequestContext(remoteAddress: remoteAddress, isServerGenerated: true)
        context[ServerFailureKey.self] = failure
        let request = request ?? HTTPRequest.placeholder
        let endpoint = Endpoint(execution: .eventLoop, route: nil, parameters: [:], handler: self.failure)
        return respond(to: request, at: endpoint, context: context)
    }
}

private enum ServerFailureKey: RequestContextKey {
    typealias Value = HTTPError
}

extension HTTPRequest {
    /// Stands in for a request the server could not parse.
    static let placeholder = HTTPRequest(method: .GET, target: "/", keepAlive: false)
}
