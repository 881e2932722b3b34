import FoundationEssentials
import PostgresClient

/// What administration and self-service read and change in `users`.
extension UserRepository {
    /// The user list's filters and page.
    struct Search {
        /// A substring of the email or of the names, case-insensitive.
        var text: String?
        var role: Role?
        var isActive: Bool?
        var limit = 50
        var after: KeysetCursor?
    }

    /// The lowercased names as one string: the expression `users_names_trgm_idx` indexes.
    static let searchableNames = "lower(coalesce(users.name, '') || ' ' || coalesce(users.first_name, '') || ' ' || coalesce(users.last_name, ''))"

    /// One page, newest first, and the cursor of the next (nil on the last page). Keyset
    /// pagination: a page starts strictly after the previous one's last row, so accounts created
    /// meanwhile neither shift nor repeat the rows that follow.
    ///
    /// Planned for each search's own text: a prepared statement's generic plan cannot tell a rare
    /// substring (the trigram indexes, a few rows) from a common one (walking `users_created_idx`
    /// until the page is full), and the wrong choice costs a scan of every user.
    func search(_ search: Search, on database: PostgresDatabase) async throws -> (users: [User], next: KeysetCursor?) {
        try await database.transaction { transaction in
            _ = try await transaction.query("SET LOCAL plan_cache_mode = force_custom_plan", [])
            return try await page(search, on: transaction)
        }
    }

    private func page(_ search: Search, on database: PostgresTransaction) async throws -> (users: [User], next: KeysetCursor?) {
        var conditions: [String] = []
        var parameters: [PostgresValue] = []
        func parameter(_ value: PostgresValue) -> Int {
            parameters.append(value)
            return parameters.count
        }
        if let text = search.text {
            let pattern = parameter(.text(Self.likeEscaped(text)))
            let like = "'%' || lower($\(pattern)) || '%'"
            conditions.append("(users.email LIKE \(like) OR \(Self.searchableNames) LIKE \(like))")
        }
        if let role = search.role { conditions.append("users.role = $\(parameter(.text(role.rawValue)))") }
        if let isActive = search.isActive { conditions.append("users.is_active = $\(parameter(.bool(isActive)))::boolean") }
        if let after = search.after, let id = UUID(canonicalText: after.key) {
            let micros = parameter(.int(after.createdMicros))
            conditions.append("(users.created_at, users.id) < (\(KeysetCursor.timestamp(micros)), $\(parameter(.uuid(id)))::uuid)")
        }
        let limit = parameter(.int(search.limit + 1))
        let result = try await database.query("""
            SELECT \(User.columns), \(KeysetCursor.micros("users.created_at")) AS created_micros FROM users
            \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            ORDER BY users.created_at DESC, users.id DESC LIMIT $\(limit)
            """, parameters)
        let rows = result.rows.prefix(search.limit)
        let users = try rows.map(User.init(row:))
        guard result.rows.count > search.limit, let last = rows.last else { return (users, nil) }
        return (users, KeysetCursor(createdMicros: try last.int("created_micros"), key: try last.uuid("id").lowercasedText))
    }

    /// `LIKE` treats `%`, `_` and the escape `\` as patterns; a search for them means the characters.
    static func likeEscaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    func find(email: String, on database: some SQLRunner) async throws -> User? {
        try await database.query("SELECT \(User.columns) FROM users WHERE email = $1", [.text(email)]).rows.first.map(User.init(row:))
    }

    /// The user, locked until the transaction ends: changes to one account take turns.
    func lock(id: UUID, on transaction: PostgresTransaction) async throws -> User? {
        try await transaction.query("SELECT \(User.columns) FROM users WHERE id = $1 FOR UPDATE", [.uuid(id)]).rows.first.map(User.init(row:))
    }

    /// Sets what `changes` holds and leaves the rest.
    func apply(_ changes: AccountChanges, to id: UUID, on transaction: PostgresTransaction) async throws -> User? {
        try await transaction.query("""
            UPDATE users SET is_active = coalesce($2::boolean, is_active), role = coalesce($3::text, role),
                files_uploaded = coalesce($4::int, files_uploaded), updated_at = now()
            WHERE id = $1 RETURNING \(User.columns)
            """, [.uuid(id), PostgresValue(changes.isActive), PostgresValue(changes.role?.rawValue), PostgresValue(changes.filesUploaded)])
            .rows.first.map(User.init(row:))
    }

    /// Sets or clears the profile fields `changes` names.
    func updateProfile(_ changes: ProfileChanges, of id: UUID, on database: some SQLRunner) async throws -> User? {
        var assignments: [String] = []
        var parameters: [PostgresValue] = [.uuid(id)]
        for (column, update) in changes.columns {
            switch update {
            case .unchanged: continue
            case .cleared: parameters.append(.null)
            case .set(let value): parameters.append(.text(value))
            }
            assignments.append("\(column) = $\(parameters.count)")
        }
        guard !assignments.isEmpty else { return try await find(id: id, on: database) }
        return try await database.query("""
            UPDATE users SET \(assignments.joined(separator: ", ")), updated_at = now() WHERE id = $1 RETURNING \(User.columns)
            """, parameters).rows.first.map(User.init(row:))
    }

    /// Whether the account signed in within `seconds`, on the database's clock.
    func signedIn(id: UUID, withinSeconds seconds: Int, on database: some SQLRunner) async throws -> Bool {
        try await database.query("""
            SELECT coalesce(last_login_at > now() - make_interval(secs => $2), false) AS recent FROM users WHERE id = $1
            """, [.uuid(id), .int(seconds)]).rows.first?.bool("recent") ?? false
    }
}
