import FoundationEssentials
import PostgresClient

/// The `users` table. Every statement is parameterized; nothing from a request becomes SQL.
struct UserRepository: Sendable {
    struct NewUser {
        let email: String
        let passwordHash: String?
        let name: String?
        let firstName: String?
        let lastName: String?
        let company: String?
        let role: Role
        var emailVerified = false
    }

    /// Inserts a user; the unique index on `email` decides races, surfacing as `USER_EXISTS`.
    func create(_ user: NewUser, on database: some SQLRunner) async throws -> User {
        do {
            let result = try await database.query("""
                INSERT INTO users (email, password_hash, name, first_name, last_name, company, role, email_verified)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING \(User.columns)
                """, [.text(user.email), PostgresValue(user.passwordHash), PostgresValue(user.name), PostgresValue(user.firstName),
                      PostgresValue(user.lastName), PostgresValue(user.company), .text(user.role.rawValue), .bool(user.emailVerified)])
            return try User(row: result.rows[0])
        } catch let error as PostgresError where error.isUniqueViolation {
            throw AuthFailure.userExists
        }
    }

    /// The user and their password hash (nil for an account without a password), for login.
    func findWithPasswordHash(email: String, on database: some SQLRunner) async throws -> (user: User, passwordHash: String?)? {
        let result = try await database.query("SELECT \(User.columns), users.password_hash FROM users WHERE email = $1", [.text(email)])
        guard let row = result.rows.first else { return nil }
        return (try User(row: row), try row.optionalString("password_hash"))
    }

    func find(id: UUID, on database: some SQLRunner) async throws -> User? {
        try await database.query("SELECT \(User.columns) FROM users WHERE id = $1", [.uuid(id)]).rows.first.map(User.init(row:))
    }

    /// The account behind an access token, read afresh: database routes refuse a token whose
    /// session was revoked or whose user was deactivated or deleted since it was issued, and
    /// take the role from here, never from the token. One statement, so it costs one round trip.
    func live(_ principal: Principal, on database: some SQLRunner) async throws -> User {
        guard let sessionID = principal.sessionID else { throw AuthFailure.invalidToken }
        let result = try await database.query("""
            SELECT \(User.columns), s.id IS NOT NULL AS session_live FROM users
            LEFT JOIN sessions s ON s.id = $2 AND s.user_id = users.id AND s.revoked_at IS NULL AND s.expires_at > now()
            WHERE users.id = $1
            """, [.uuid(principal.userID), .uuid(sessionID)])
        guard let row = result.rows.first else { throw AuthFailure.invalidToken }
        let user = try User(row: row)
        guard user.isActive else { throw AuthFailure.accountDisabledSinceTokenIssued }
        guard try row.bool("session_live") else { throw AuthFailure.sessionRevoked }
        return user
    }

    /// Records a successful login, if the password hash is still the one the login verified;
    /// nil when it changed meanwhile (a password change or reset won the race: the login is
    /// refused, and a legacy-cost rehash never writes the old password back). Stores a stronger
    /// hash when the cost was raised.
    func recordLogin(id: UUID, verifiedHash: String, strongerHash: String?, on transaction: PostgresTransaction) async throws -> User? {
        let result = try await transaction.query("""
            UPDATE users SET last_login_at = now(), password_hash = coalesce($3::text, password_hash),
                updated_at = CASE WHEN $3::text IS NULL THEN updated_at ELSE now() END
            WHERE id = $1 AND password_hash = $2 RETURNING \(User.columns)
            """, [.uuid(id), .text(verifiedHash), PostgresValue(strongerHash)])
        return try result.rows.first.map(User.init(row:))
    }

    /// The current hash and the account's state, for a password check of a signed-in user.
    func passwordHash(id: UUID, on database: some SQLRunner) async throws -> (hash: String?, isActive: Bool)? {
        let result = try await database.query("SELECT password_hash, is_active FROM users WHERE id = $1", [.uuid(id)])
        guard let row = result.rows.first else { return nil }
        return (try row.optionalString("password_hash"), try row.bool("is_active"))
    }

    /// Replaces the hash only if it is still `expected`: two changes racing cannot both win.
    func replacePasswordHash(id: UUID, expected: String, with hash: String, on transaction: PostgresTransaction) async throws -> Bool {
        try await transaction.query("UPDATE users SET password_hash = $3, updated_at = now() WHERE id = $1 AND password_hash = $2",
                                    [.uuid(id), .text(expected), .text(hash)]).affectedRows == 1
    }

    /// The upload count after adding one upload, or why nothing was added, decided in one
    /// statement: the account must be active, its token's session live and its count under
    /// `limit`, so concurrent calls on any number of instances never pass the limit.
    func incrementUploads(_ principal: Principal, limit: Int, on database: some SQLRunner) async throws -> UploadIncrement {
        guard let sessionID = principal.sessionID else { throw AuthFailure.invalidToken }
        let result = try await database.query("""
            WITH account AS (
                SELECT u.id, u.is_active, EXISTS (SELECT 1 FROM sessions s WHERE s.id = $2 AND s.user_id = u.id
                                                  AND s.revoked_at IS NULL AND s.expires_at > now()) AS session_live
                FROM users u WHERE u.id = $1
            ), added AS (
                UPDATE users SET files_uploaded = files_uploaded + 1, updated_at = now()
                FROM account WHERE users.id = account.id AND account.is_active AND account.session_live AND users.files_uploaded < $3
                RETURNING users.files_uploaded
            )
            SELECT account.is_active, account.session_live, (SELECT files_uploaded FROM added) AS files_uploaded FROM account
            """, [.uuid(principal.userID), .uuid(sessionID), .int(limit)])
        guard let row = result.rows.first else { throw AuthFailure.invalidToken }
        guard try row.bool("is_active") else { throw AuthFailure.accountDisabledSinceTokenIssued }
        guard try row.bool("session_live") else { throw AuthFailure.sessionRevoked }
        if let count = try row.optionalInt("files_uploaded") { return .added(count: count) }
        // At the limit: read the count as it is now, for the answer.
        let current = try await database.query("SELECT files_uploaded FROM users WHERE id = $1", [.uuid(principal.userID)])
        return .atLimit(count: try current.rows.first?.int("files_uploaded") ?? limit)
    }

    enum UploadIncrement {
        case added(count: Int)
        case atLimit(count: Int)
    }

    struct UploadStatistics {
        let totalUsers: Int
        let totalUploads: Int
        let usersAtLimit: Int
        let averageUploads: Double
    }

    func uploadStatistics(limit: Int, on database: some SQLRunner) async throws -> UploadStatistics {
        let row = try await database.query("""
            SELECT count(*)::int AS total_users, coalesce(sum(files_uploaded), 0)::int AS total_uploads,
                   count(*) FILTER (WHERE files_uploaded >= $1)::int AS users_at_limit,
                   coalesce(avg(files_uploaded), 0)::float8 AS average_uploads
            FROM users
            """, [.int(limit)]).rows[0]
        return UploadStatistics(totalUsers: try row.int("total_users"), totalUploads: try row.int("total_uploads"),
                                usersAtLimit: try row.int("users_at_limit"), averageUploads: try row.double("average_uploads"))
    }

    /// Creates the account with the ADMIN role, or promotes an existing one and sets its
    /// password; true when the account existed (its sessions must then be revoked).
    func upsertAdmin(email: String, passwordHash: String, on transaction: PostgresTransaction) async throws -> (user: User, existed: Bool) {
        let result = try await transaction.query("""
            INSERT INTO users (email, password_hash, role) VALUES ($1, $2, 'ADMIN')
            ON CONFLICT (email) DO UPDATE SET password_hash = excluded.password_hash, role = 'ADMIN', updated_at = now()
            RETURNING \(User.columns), (xmax::text <> '0') AS existed
            """, [.text(email), .text(passwordHash)])
        let row = result.rows[0]
        return (try User(row: row), try row.bool("existed"))
    }
}
