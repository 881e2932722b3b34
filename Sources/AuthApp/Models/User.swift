import Foundation
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
    let createdAt: Date
    let lastLoginAt: Date?

    /// The columns `init(row:)` reads, for SELECT and RETURNING lists.
    static let columns = "id, email, name, first_name, last_name, company, role, is_active, files_uploaded, created_at, last_login_at"

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
        createdAt = try row.date("created_at")
        lastLoginAt = try row.optionalDate("last_login_at")
    }
}

extension User: Encodable {
    private enum CodingKeys: String, CodingKey {
        case id, email, name, firstName, lastName, company, role, isActive, filesUploaded, createdAt, lastLoginAt
    }

    /// Absent values are written as `null`, as the contract shows them, not left out.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.lowercasedString, forKey: .id)
        try container.encode(email, forKey: .email)
        try container.encode(name, forKey: .name)
        try container.encode(firstName, forKey: .firstName)
        try container.encode(lastName, forKey: .lastName)
        try container.encode(company, forKey: .company)
        try container.encode(role, forKey: .role)
        try container.encode(isActive, forKey: .isActive)
        try container.encode(filesUploaded, forKey: .filesUploaded)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(lastLoginAt, forKey: .lastLoginAt)
    }
}
