import HTTPServer
import Logging

/// The request's logger, carrying its `requestId`.
enum LoggerKey: RequestContextKey {
    typealias Value = Logger
}

/// The client's IP: the socket peer, or the `X-Forwarded-For` hop a trusted proxy vouched for.
enum ClientIPKey: RequestContextKey {
    typealias Value = String
}

/// Cookies from the `Cookie` header, by name.
enum CookiesKey: RequestContextKey {
    typealias Value = [String: String]
}

extension RequestContext {
    var logger: Logger { self[LoggerKey.self] ?? Logger(label: "authserver") }
    var clientIP: String { self[ClientIPKey.self] ?? remoteAddress }
    var cookies: [String: String] { self[CookiesKey.self] ?? [:] }
}
