import HTTPServer
import Logging
import PostgresClient

/// Turns whatever a handler throws into the contract's JSON error shape, in one place. Known
/// failures keep their status and code; anything unexpected is logged with its details and
/// answered with a bare 500 that carries only the request id.
struct ErrorMiddleware: Middleware {
    func handle(_ request: HTTPRequest, context: RequestContext, next: Handler) throws -> HTTPResponse {
        do {
            return try next(request, context)
        } catch let error as HTTPError {
            return error.response
        } catch is WorkerPool.Overloaded {
            context.logger.warning("Worker queue full; answering 503")
            return HTTPError.overloaded().response
        } catch let error as PostgresError where error.isUnavailability {
            context.logger.error("Database unavailable", metadata: ["error": "\(error)"])
            return HTTPError(.serviceUnavailable, code: "DATABASE_UNAVAILABLE", message: "The database is unavailable; retry shortly",
                             headers: HTTPHeaders([("Retry-After", "2")])).response
        } catch {
            context.logger.error("Unhandled error", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.path)"])
            return HTTPError.internalError(requestID: context.requestID).response
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
