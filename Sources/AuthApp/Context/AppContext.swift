import HTTPServer
import Logging

/// What the chain learns about a request on its way to the handler.
struct AppContext: RequestContext {
    let route: MatchedRoute
    let connection: ConnectionInfo
    /// The client's own `X-Request-Id` when sane, else a new one (RequestLogMiddleware).
    var requestID = ""
    /// The socket peer, or the `X-Forwarded-For` hop a trusted proxy vouched for (ClientIPMiddleware).
    var clientIP: IPAddress
    var clientHost: String
    /// The verified access token's caller, on routes behind AuthenticateMiddleware.
    var principal: Principal?
    /// The server answered a request it could not parse, or that came too slowly (no route ran).
    var isServerFailure = false
    private var serverLogger = Logger(label: "authserver")

    init(request: HTTPRequest, route: MatchedRoute, connection: ConnectionInfo) {
        self.route = route
        self.connection = connection
        clientIP = connection.remoteAddress
        clientHost = connection.remoteHost
    }

    mutating func setLogger(_ logger: Logger) {
        serverLogger = logger
    }

    /// The server's logger with this request's `requestId`; attached only when a handler logs,
    /// as setting metadata costs more than most requests.
    var logger: Logger {
        var logger = serverLogger
        logger[metadataKey: "requestId"] = "\(requestID)"
        return logger
    }

    /// The authenticated caller; only routes behind AuthenticateMiddleware have one.
    func requirePrincipal() throws -> Principal {
        guard let principal else { throw AuthFailure.noToken }
        return principal
    }
}
