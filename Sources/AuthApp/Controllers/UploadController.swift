import JSON
import FoundationEssentials
import HTTPServer
import PostgresClient

/// Upload counting for the partner service: read, increment (exact under any concurrency), and
/// the admin's statistics.
struct UploadController: Sendable {
    let database: PostgresDatabase
    let users: UserRepository
    let limit: Int

    struct Usage: JSONWritable {
        let filesUploaded: Int
        let limit: Int
        let refusal: (code: String, message: String)?

        func write(to json: inout JSONWriter) {
            json.beginObject()
            json.member("success", refusal == nil)
            json.member("filesUploaded", filesUploaded)
            json.member("limit", limit)
            json.member("remaining", max(0, limit - filesUploaded))
            json.member("canUpload", filesUploaded < limit)
            if let refusal {
                json.member("code", refusal.code)
                json.member("message", refusal.message)
            }
            json.endObject()
        }
    }

    struct Statistics: JSONWritable {
        let statistics: UserRepository.UploadStatistics
        let limit: Int

        func write(to json: inout JSONWriter) {
            json.beginObject()
            json.member("success", true)
            json.member("totalUsers", statistics.totalUsers)
            json.member("totalUploads", statistics.totalUploads)
            json.member("usersAtLimit", statistics.usersAtLimit)
            json.member("averageUploads", statistics.averageUploads)
            json.member("limit", limit)
            json.endObject()
        }
    }

    func usage(_ request: HTTPRequest, context: inout AppContext) async throws -> HTTPResponse {
        let user = try await users.live(try context.requirePrincipal(), on: database)
        return .json(Usage(filesUploaded: user.filesUploaded, limit: limit, refusal: nil))
    }

    func increment(_ request: HTTPRequest, context: inout AppContext) async throws -> HTTPResponse {
        switch try await users.incrementUploads(try context.requirePrincipal(), limit: limit, on: database) {
        case .added(let count):
            return .json(Usage(filesUploaded: count, limit: limit, refusal: nil))
        case .atLimit(let count):
            return .json(Usage(filesUploaded: count, limit: limit, refusal: ("UPLOAD_LIMIT_REACHED", "Upload limit of \(limit) reached")),
                         status: .tooManyRequests)
        }
    }

    /// ADMIN only, by the role in the database: a demoted admin's token stops working here at once.
    func statistics(_ request: HTTPRequest, context: inout AppContext) async throws -> HTTPResponse {
        let user = try await users.live(try context.requirePrincipal(), on: database)
        guard user.role == .admin else { throw AuthFailure.forbidden }
        return .json(Statistics(statistics: try await users.uploadStatistics(limit: limit, on: database), limit: limit))
    }
}
