import Foundation

/// Maps a method and a path to a handler. Paths are literal segments or `:name` parameters.
public struct Router: Sendable {
    /// Where a route's handler runs. `.eventLoop` is for handlers that never block and finish in
    /// microseconds; anything touching the database or bcrypt must be `.worker`.
    public enum Execution: Sendable {
        case eventLoop
        case worker
    }

    struct Route: Sendable {
        let method: HTTPMethod
        let pattern: String
        let segments: [Substring]
        let execution: Execution
        var handler: Handler
    }

    enum Match {
        case found(Route, parameters: [String: String])
        case methodNotAllowed([HTTPMethod])
        case notFound
    }

    private(set) var routes: [Route] = []
    private var literalRoutes: [String: [Int]] = [:]
    private var parameterRoutes: [Int] = []

    public init() {}

    /// Adds a route; `middleware` wraps only this route's handler, inside the global chain.
    public mutating func add(_ method: HTTPMethod, _ pattern: String, execution: Execution = .worker,
                             middleware: [any Middleware] = [], handler: @escaping Handler) {
        let segments = pattern.split(separator: "/", omittingEmptySubsequences: false)
        routes.append(Route(method: method, pattern: pattern, segments: segments, execution: execution,
                            handler: middleware.wrapping(handler)))
        if segments.contains(where: { $0.hasPrefix(":") }) {
            parameterRoutes.append(routes.count - 1)
        } else {
            literalRoutes[pattern, default: []].append(routes.count - 1)
        }
    }

    mutating func wrapHandlers(in middleware: [any Middleware]) {
        for index in routes.indices {
            routes[index].handler = middleware.wrapping(routes[index].handler)
        }
    }

    func match(_ method: HTTPMethod, path: String) -> Match {
        var candidates: [(Route, [String: String])] = []
        if let indices = literalRoutes[path] {
            candidates = indices.map { (routes[$0], [:]) }
        } else {
            let segments = path.split(separator: "/", omittingEmptySubsequences: false)
            for index in parameterRoutes {
                if let parameters = Router.parameters(of: routes[index], in: segments) {
                    candidates.append((routes[index], parameters))
                }
            }
        }
        guard !candidates.isEmpty else { return .notFound }
        if let hit = candidates.first(where: { $0.0.method == method }) {
            return .found(hit.0, parameters: hit.1)
        }
        // RFC 9110 §9.3.2: HEAD is GET without the content.
        if method == .HEAD, let hit = candidates.first(where: { $0.0.method == .GET }) {
            return .found(hit.0, parameters: hit.1)
        }
        var allowed = candidates.map(\.0.method)
        if allowed.contains(.GET) && !allowed.contains(.HEAD) { allowed.append(.HEAD) }
        return .methodNotAllowed(allowed)
    }

    private static func parameters(of route: Route, in segments: [Substring]) -> [String: String]? {
        guard route.segments.count == segments.count else { return nil }
        var parameters: [String: String] = [:]
        for (pattern, segment) in zip(route.segments, segments) {
            if pattern.hasPrefix(":") {
                guard !segment.isEmpty, let value = String(segment).removingPercentEncoding else { return nil }
                parameters[String(pattern.dropFirst())] = value
            } else if pattern != segment {
                return nil
            }
        }
        return parameters
    }
}
