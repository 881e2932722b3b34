import Foundation
import PostgresClient

/// The `users` table. Every statement is parameterized; nothing from a request becomes SQL.
struct UserRepository: Sendable {
    struct NewUser {
        let email: String
        let passwordHash: String
        let name: String?
        let firstName: String?
        let lastName: String?
        let company: String?
        let role: Role
    }

    /// Inserts a user; the unique index on `email` decides races, surfacing as `USER_EXISTS`.
    func create(_ user: NewUser, on connection: PostgresConnection) throws -> User {
        do {
            let result = try connection.query("""
                INSERT INTO users (email, password_hash, name, first_name, last_name, company, role)
                VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING \(User.columns)
                """, [.text(user.email), .text(user.passwordHash), PostgresValue(user.name), PostgresValue(user.firstName),
                      PostgresValue(user.lastName), PostgresValue(user.company), .text(user.role.rawValue)])
            return try User(row: result.rows[0])
        } catch let error as PostgresError where error.isUniqueViolation {
            throw AuthError.userExists
        }
    }

    /// The user and their password hash, for login.
    func findWithPasswordHash(email: String, on connection: PostgresConnection) throws -> (User, String)? {
        let result = try connection.query("SELECT \(User.columns), password_hash FROM users WHERE email = $1", [.text(email)])
        guard let row = result.rows.first else { return nil }
        return (try User(row: row), try row.string("password_hash"))
    }

    func passwordHash(id: UUID, on connection: PostgresConnection) throws -> (hash: String, isActive: Bool)? {
        let result = try connection.query("SELECT password_hash, is_active FROM users WHERE id = $1", [.uuid(id)])
        guard let row = result.rows.first else { return nil }
        return (try row.string("password_hash"), try row.bool("is_active"))
    }

    func find(id: UUID, on connection: PostgresConnection) throws -> User? {
        try connection.query("SELECT \(User.columns) FROM users WHERE id = $1", [.uuid(id)]).rows.first.map(User.init(row:))
    }

    /// Records a successful login, and stores a stronger hash when the cost was raised.
    func recordLogin(id: UUID, newPasswordHash: String?, on connection: PostgresConnection) throws -> User {
        let result = try connection.query("""
            UPDATE users SET last_login_at = now(), password_hash = coalesce($2::text, password_hash),
                updated_at = CASE WHEN $2::text IS NULL THEN updated_at ELSE now() END
            WHERE id = $1 RETURNING \(User.columns)
            """, [.uuid(id), PostgresValue(newPasswordHash)])
        guard let row = result.rows.first else { throw AuthError.invalidCredentials }
        return try User(row: row)
    }

    func updatePasswordHash(id: UUID, hash: String, on connection: PostgresConnection) throws {
        _ = try connection.query("UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1", [.uuid(id), .text(hash)])
    }

    /// Adds one upload if the user is active and under `limit`, in one statement, so concurrent
    /// calls on any number of instances can never pass the limit. Nil when nothing changed.
    func incrementUploads(id: UUID, limit: Int, on connection: PostgresConnection) throws -> Int? {
        let result = try connection.query("""
            UPDATE users SET files_uploaded = files_uploaded + 1, updated_at = now()
            WHERE id = $1 AND is_active AND files_uploaded < $2 RETURNING files_uploaded
            """, [.uuid(id), .int(limit)])
        return try result.rows.first?.int("files_uploaded")
    }

    func uploadCount(id: UUID, on connection: PostgresConnection) throws -> (count: Int, isActive: Bool)? {
        let result = try connection.query("SELECT files_uploaded, is_active FROM users WHERE id = $1", [.uuid(id)])
        guard let row = result.rows.first else { return nil }
        return (try row.int("files_uploaded"), try row.bool("is_active"))
    }

    struct UploadStatistics {
        let totalUsers: Int
        let totalUploads: Int
        let usersAtLimit: Int
        let averageUploads: Double
    }

    func uploadStatistics(limit: Int, on connection: PostgresConnection) throws -> UploadStatistics {
        let row = try connection.query("""
            SELECT count(*)::int AS total_users, coalesce(sum(files_uploaded), 0)::int AS total_uploads,
                   count(*) FILTER (WHERE files_uploaded >= $1)::int AS users_at_limit,
                   coalesce(avg(files_uploaded), 0)::float8 AS average_uploads
            FROM users
            """, [.int(limit)]).rows[0]
        return UploadStatistics(totalUsers: try row.int("total_users"), totalUploads: try row.int("total_uploads"),
                                usersAtLimit: try row.int("users_at_limit"), averageUploads: try row.double("average_uploads"))
    }

    /// Creates or promotes the account to ADMIN (for `authserver create-admin`).
    func upsertAdmin(email: String, passwordHash: String, on connection: PostgresConnection) throws -> User {
        let result = try connection.query("""
            INSERT INTO users (email, password_hash, role) VALUES ($1, $2, 'ADMIN')
            ON CONFLICT (email) DO UPDATE SET password_hash = excluded.password_hash, role = 'ADMIN', updated_at = now()
            RETURNING \(User.columns)
            """, [.text(email), .text(passwordHash)])
        return try User(row: result.rows[0])
    }
}
