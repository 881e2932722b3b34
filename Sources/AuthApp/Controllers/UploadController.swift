import Foundation
import HTTPServer
import PostgresClient

/// Upload counting for the partner service: read, increment (exact under any concurrency), and
/// the admin's statistics.
struct UploadController: Sendable {
    let database: PostgresPool
    let users: UserRepository
    let limit: Int

    struct Usage: Encodable {
        let success: Bool
        let filesUploaded: Int
        let limit: Int
        let remaining: Int
        let canUpload: Bool
        let code: String?
        let message: String?
    }

    struct Statistics: Encodable {
        let success = true
        let totalUsers: Int
        let totalUploads: Int
        let usersAtLimit: Int
        let averageUploads: Double
        let limit: Int
    }

    func usage(_ request: HTTPRequest, context: RequestContext) throws -> HTTPResponse {
        let principal = try context.principal
        let user = try database.withConnection { try users.requireActive(principal.userID, on: $0) }
        return HTTPResponse(json: usage(count: user.filesUploaded))
    }

    func increment(_ request: HTTPRequest, context: RequestContext) throws -> HTTPResponse {
        let principal = try context.principal
        let outcome = try database.withConnection { connection -> (count: Int, incremented: Bool) in
            if let count = try users.incrementUploads(id: principal.userID, limit: limit, on: connection) {
                return (count, true)
            }
            // Nothing changed: at the limit, or the account is gone or disabled.
            guard let current = try users.uploadCount(id: principal.userID, on: connection) else { throw AuthError.invalidToken }
            guard current.isActive else { throw AuthError.accountDisabledToken }
            return (current.count, false)
        }
        guard outcome.incremented else {
            return HTTPResponse(status: .tooManyRequests, json: Usage(
                success: false, filesUploaded: outcome.count, limit: limit, remaining: 0, canUpload: false,
                code: "UPLOAD_LIMIT_REACHED", message: "Upload limit of \(limit) reached"
            ))
        }
        return HTTPResponse(json: usage(count: outcome.count))
    }

    func statistics(_ request: HTTPRequest, context: RequestContext) throws -> HTTPResponse {
        guard try context.principal.role == .admin else { throw AuthError.forbidden }
        let stats = try database.withConnection { connection in
            try users.requireActive(try context.principal.userID, on: connection)
            return try users.uploadStatistics(limit: limit, on: connection)
        }
        return HTTPResponse(json: Statistics(totalUsers: stats.totalUsers, totalUploads: stats.totalUploads,
                                             usersAtLimit: stats.usersAtLimit, averageUploads: stats.averageUploads, limit: limit))
    }

    private func usage(count: Int) -> Usage {
        Usage(success: true, filesUploaded: count, limit: limit, remaining: max(0, limit - count), canUpload: count < limit,
              code: nil, message: nil)
    }
}
