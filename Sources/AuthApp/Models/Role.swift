/// What a user may do. Registration offers the first two; `ADMIN` comes only from `authserver create-admin`.
public enum Role: String, Sendable, Codable, CaseIterable {
    case candidate = "CANDIDATE"
    case employer = "EMPLOYER"
    case admin = "ADMIN"
}
