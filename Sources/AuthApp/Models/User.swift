import JSON
import FoundationEssentials
import PostgresClient

/// A row of `users`, without its password hash (kept apart so it cannot leak into a response).
struct User: Sendable {
    let id: UUID
    let email: String
    let name: String?
    let firstName: String?
    let lastName: String?
    let company: String?
    let role: Role
    let isActive: Bool
    let filesUploaded: Int
    let emailVerified: Bool
    let hasPassword: Bool
    let createdAt: Date
    let lastLoginAt: Date?

    /// The columns `init(row:)` reads, for SELECT and RETURNING lists (qualified by `users.`,
    /// which also names the table in a RETURNING list).
    static let columns = """
        users.id, users.email, users.name, users.first_name, users.last_name, users.company, users.role, users.is_active, \
        users.files_uploaded, users.email_verified, users.password_hash IS NOT NULL AS has_password, users.created_at, users.last_login_at
        """

    init(row: PostgresRow) throws {
        id = try row.uuid("id")
        email = try row.string("email")
        name = try row.optionalString("name")
        firstName = try row.optionalString("first_name")
        lastName = try row.optionalString("last_name")
        company = try row.optionalString("company")
        role = Role(rawValue: try row.string("role")) ?? .candidate
        isActive = try row.bool("is_active")
        filesUploaded = try row.int("files_uploaded")
        emailVerified = try row.bool("email_verified")
        hasPassword = try row.bool("has_password")
        createdAt = try row.date("created_at")
        lastLoginAt = try row.optionalDate("last_login_at")
    }
}

extension User: JSONWritable {
    /// Absent values are written as `null`, as the contract shows them, not left out.
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.member("id", id.lowercasedText)
        json.member("email", email)
        json.member("name", name)
        json.member("firstName", firstName)
        json.member("lastName", lastName)
        json.member("company", company)
        json.member("role", role.rawValue)
        json.member("isActive", isActive)
        json.member("filesUploaded", filesUploaded)
        json.member("emailVerified", emailVerified)
        json.member("hasPassword", hasPassword)
        json.member("createdAt", createdAt)
        json.member("lastLoginAt", lastLoginAt)
        json.endObject()
    }
}
