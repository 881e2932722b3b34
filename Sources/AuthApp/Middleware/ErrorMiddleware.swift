import HTTPServer
import Logging
import PostgresClient
import Reactor

/// Turns whatever a step or handler throws into the contract's JSON error shape, in one place:
/// the application's own errors keep their status and code, the server's and the router's
/// failures get theirs, and anything unexpected is logged with its details and answered with a
/// bare 500 that carries only the request id.
struct ErrorMiddleware: Middleware {
    let execution = Execution.inline

    func handle(_ request: HTTPRequest, context: inout AppContext, next: some Responder<AppContext>) async throws -> HTTPResponse {
        do {
            return try await next(request, &context)
        } catch {
            if error is ServerFailure { context.isServerFailure = true }
            return Self.apiError(for: error, request: request, context: context).response
        }
    }

    static func apiError(for error: any Error, request: HTTPRequest, context: AppContext) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as any APIErrorConvertible:
            return error.apiError
        case RoutingFailure.notFound:
            return APIError(.notFound, code: "NOT_FOUND", message: "No such resource")
        case RoutingFailure.methodNotAllowed(let allowed):
            let allow = allowed.map(\.rawValue).joined(separator: ", ")
            return APIError(.methodNotAllowed, code: "METHOD_NOT_ALLOWED", message: "Allowed methods: \(allow)", headers: [("Allow", allow)])
        case ServerFailure.malformed(let failure):
            return APIError(HTTPStatus(failure.status), code: malformedCode(failure.status), message: failure.reason)
        case ServerFailure.requestTimeout:
            return APIError(.requestTimeout, code: "REQUEST_TIMEOUT", message: "The request took too long to arrive")
        case is BlockingPool.Overloaded:
            context.logger.warning("A bounded pool is full; answering 503")
            return APIError(.serviceUnavailable, code: "SERVER_BUSY", message: "The server is busy; retry shortly", headers: [("Retry-After", "1")])
        case let error as PostgresError where error.isUnavailability:
            context.logger.error("Database unavailable", metadata: ["error": "\(error)"])
            return APIError(.serviceUnavailable, code: "DATABASE_UNAVAILABLE", message: "The database is unavailable; retry shortly",
                            headers: [("Retry-After", "2")])
        default:
            context.logger.error("Unhandled error", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.path)"])
            return APIError(.internalServerError, code: "INTERNAL_ERROR", message: "Internal server error (request \(context.requestID))")
        }
    }

    private static func malformedCode(_ status: Int) -> String {
        switch status {
        case 413: "PAYLOAD_TOO_LARGE"
        case 414: "URI_TOO_LONG"
        case 417: "EXPECTATION_FAILED"
        case 431: "HEADERS_TOO_LARGE"
        case 501: "NOT_IMPLEMENTED"
        case 505: "HTTP_VERSION_NOT_SUPPORTED"
        default: "BAD_REQUEST"
        }
    }
}

extension PostgresError {
    /// Failures that say "the database cannot serve right now" rather than "this request is wrong".
    var isUnavailability: Bool {
        if case .poolTimeout = self { return true }
        return isConnectionFailure || isQueryCanceled
    }
}
