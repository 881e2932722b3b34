/// What an admin (or `authserver user ...`) changes about an account; nil leaves a field as is.
struct AccountChanges: Sendable {
    var isActive: Bool?
    var role: Role?
    var filesUploaded: Int?

    static let fields: Set<String> = ["isActive", "role", "filesUploaded"]

    init(isActive: Bool? = nil, role: Role? = nil, filesUploaded: Int? = nil) {
        self.isActive = isActive
        self.role = role
        self.filesUploaded = filesUploaded
    }

    /// `PATCH /api/admin/users/{id}`: at least one known field, each of its type and range, and
    /// nothing else.
    init(reading body: inout RequestBody) {
        for name in body.names.sorted() where !Self.fields.contains(name) {
            body.reject(name, "cannot be changed here (isActive, role, filesUploaded)")
        }
        if body.names.isEmpty { body.reject("body", "must name at least one of isActive, role, filesUploaded") }
        isActive = body.optionalBool("isActive")
        role = body.optionalString("role").flatMap { name in
            guard let role = Role(rawValue: name.uppercased()) else {
                body.reject("role", "must be CANDIDATE, EMPLOYER or ADMIN")
                return nil
            }
            return role
        }
        filesUploaded = body.optionalInteger("filesUploaded")
        if let count = filesUploaded, !(0...Int(Int32.max)).contains(count) {
            body.reject("filesUploaded", "must be from 0 to \(Int32.max)")
        }
    }

    /// Facts for the audit trail: the new values, never more.
    var auditDetails: [(String, String)] {
        var details: [(String, String)] = []
        if let isActive { details.append(("isActive", String(isActive))) }
        if let role { details.append(("role", role.rawValue)) }
        if let filesUploaded { details.append(("filesUploaded", String(filesUploaded))) }
        return details
    }
}
