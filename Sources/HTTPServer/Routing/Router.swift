/// Maps a method and a path to a route's chain, composed once when the route is added: the
/// router's own middleware (outermost), the route's middleware, then its handler. Paths are
/// literal segments or `:name` parameters.
///
/// ```swift
/// var router = Router<AppContext>(middleware: [requestLog, securityHeaders, errors])
/// try router.add(.GET, "/health/live", requiring: .inline, .inline(health.live))
/// try router.add(.GET, "/api/auth/me", middleware: [authenticate], .waits(profile.me))
/// ```
/// What the router does not route (404, 405, the server's own failures) passes through the
/// router's middleware too, thrown as `RoutingFailure` or `ServerFailure` for the application
/// to render.
public struct Router<Context: RequestContext>: Sendable {
    public struct Route: Sendable {
        public let method: HTTPMethod
        public let pattern: String
        /// The most that any step of its chain may wait: `.inline` only if none waits.
        public let execution: Execution
        fileprivate let segments: [String]
        fileprivate let responder: any Responder<Context>
    }

    private let middleware: [any Middleware<Context>]
    public private(set) var routes: [Route] = []
    private var literalRoutes: [String: [Int]] = [:]
    private var parameterRoutes: [Int] = []

    public init(middleware: [any Middleware<Context>] = []) {
        self.middleware = middleware
    }

    /// Adds a route. `requiring: .inline` marks a route that must answer without waiting
    /// (health checks, metrics): adding it throws when any step of its chain, the router's
    /// middleware included, states that it waits.
    public mutating func add(_ method: HTTPMethod, _ pattern: String, middleware routeMiddleware: [any Middleware<Context>] = [],
                             requiring required: Execution = .waits, _ handler: Handler<Context>) throws(RouterError) {
        let chain = middleware + routeMiddleware
        if required == .inline {
            if handler.execution == .waits { throw .waitingStep(route: "\(method) \(pattern)", step: "its handler") }
            if let waiting = chain.first(where: { $0.execution == .waits }) {
                throw .waitingStep(route: "\(method) \(pattern)", step: String(describing: type(of: waiting)))
            }
        }
        let segments = pattern.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !routes.contains(where: { $0.method == method && $0.segments == segments }) else {
            throw .duplicate(route: "\(method) \(pattern)")
        }
        let execution = max(handler.execution, chain.map(\.execution).max() ?? .inline)
        routes.append(Route(method: method, pattern: pattern, execution: execution, segments: segments,
                            responder: chain.composed(around: HandlerStep(handler: handler))))
        if segments.contains(where: { $0.hasPrefix(":") }) {
            parameterRoutes.append(routes.count - 1)
        } else {
            literalRoutes[pattern, default: []].append(routes.count - 1)
        }
    }

    enum Match {
        case found(Route, parameters: [String: String])
        case methodNotAllowed([HTTPMethod])
        case notFound
    }

    func match(_ method: HTTPMethod, path: String) -> Match {
        var candidates: [(route: Route, parameters: [String: String])] = []
        if let indices = literalRoutes[path] {
            // The common case, without building a candidate list.
            if let index = indices.first(where: { routes[$0].method == method }) {
                return .found(routes[index], parameters: [:])
            }
            candidates = indices.map { (routes[$0], [:]) }
        } else if !parameterRoutes.isEmpty {
            let segments = path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            for index in parameterRoutes {
                if let parameters = Self.parameters(of: routes[index], in: segments) {
                    candidates.append((routes[index], parameters))
                }
            }
        }
        guard !candidates.isEmpty else { return .notFound }
        if let hit = candidates.first(where: { $0.route.method == method }) {
            return .found(hit.route, parameters: hit.parameters)
        }
        // RFC 9110 §9.3.2: HEAD is GET without the content.
        if method == .HEAD, let hit = candidates.first(where: { $0.route.method == .GET }) {
            return .found(hit.route, parameters: hit.parameters)
        }
        var allowed = candidates.map(\.route.method)
        if allowed.contains(.GET) && !allowed.contains(.HEAD) { allowed.append(.HEAD) }
        return .methodNotAllowed(allowed)
    }

    private static func parameters(of route: Route, in segments: [Substring.UTF8View]) -> [String: String]? {
        guard route.segments.count == segments.count else { return nil }
        var parameters: [String: String] = [:]
        for (pattern, segment) in zip(route.segments, segments) {
            if pattern.hasPrefix(":") {
                guard !segment.isEmpty, let value = PercentDecoding.decode(segment) else { return nil }
                parameters[String(pattern.dropFirst())] = value
            } else if !pattern.utf8.elementsEqual(segment) {
                return nil
            }
        }
        return parameters
    }
}

extension Router: HTTPResponder {
    public func respond(to request: HTTPRequest, connection: ConnectionInfo) async -> HTTPResponse {
        switch match(request.method, path: request.path) {
        case .found(let route, let parameters):
            var context = Context(request: request, route: MatchedRoute(pattern: route.pattern, parameters: parameters),
                                  connection: connection)
            return await Self.respond(request, &context, route.responder)
        case .methodNotAllowed(let allowed):
            return await respond(to: request, throwing: RoutingFailure.methodNotAllowed(allowed: allowed), connection: connection)
        case .notFound:
            return await respond(to: request, throwing: RoutingFailure.notFound, connection: connection)
        }
    }

    public func respond(to failure: ServerFailure, connection: ConnectionInfo) async -> HTTPResponse {
        await respond(to: .unparsed, throwing: failure, connection: connection)
    }

    /// Unrouted requests and server failures pass through the router's middleware, so they
    /// carry whatever it adds (a request id, security headers) and are rendered where it renders.
    private func respond(to request: HTTPRequest, throwing failure: any Error, connection: ConnectionInfo) async -> HTTPResponse {
        var context = Context(request: request, route: .none, connection: connection)
        return await Self.respond(request, &context, middleware.composed(around: FailureStep<Context>(failure: failure)))
    }

    /// The application's middleware renders its errors; one that still escapes becomes a bare
    /// 500, with nothing of the error in it.
    private static func respond(_ request: HTTPRequest, _ context: inout Context, _ responder: any Responder<Context>) async -> HTTPResponse {
        do {
            return try await responder(request, &context)
        } catch {
            return HTTPResponse(status: .internalServerError)
        }
    }
}

/// Why a route could not be added.
public enum RouterError: Error, Sendable, CustomStringConvertible {
    /// A route that must answer inline has a step that states it waits.
    case waitingStep(route: String, step: String)
    case duplicate(route: String)

    public var description: String {
        switch self {
        case .waitingStep(let route, let step):
            "route \(route) must answer without waiting, but \(step) may wait (database, bcrypt or outbound I/O)"
        case .duplicate(let route):
            "route \(route) is added twice"
        }
    }
}

extension HTTPRequest {
    /// Stands in for a request the server could not parse.
    static let unparsed = HTTPRequest(method: .GET, target: "/", keepAlive: false)
}
