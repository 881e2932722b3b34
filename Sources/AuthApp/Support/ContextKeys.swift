import HTTPServer
import Logging

/// The server's logger, for handlers to log through `context.logger`.
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
    /// The server's logger with this request's `requestId`; the metadata is attached only when a
    /// handler actually logs, as setting it costs more than most requests.
    var logger: Logger {
        var logger = self[LoggerKey.self] ?? Logger(label: "authserver")
        logger[metadataKey: "requestId"] = "\(requestID)"
        return logger
    }
    var clientIP: String { self[ClientIPKey.self] ?? remoteAddress }
    var cookies: [String: String] { self[CookiesKey.self] ?? [:] }
}
