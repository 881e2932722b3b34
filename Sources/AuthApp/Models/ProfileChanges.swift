import FoundationEssentials

/// `PATCH /api/auth/me`: the profile fields to set or clear, validated as registration
/// validates them (trimmed, `ProfileFields.limits`); `null` or an empty string clears a field.
struct ProfileChanges {
    let name: FieldUpdate<String>
    let firstName: FieldUpdate<String>
    let lastName: FieldUpdate<String>
    let company: FieldUpdate<String>

    init(reading body: inout RequestBody) {
        let known = Set(ProfileFields.limits.map(\.0))
        for field in body.names.sorted() where !known.contains(field) {
            body.reject(field, "cannot be changed here (name, firstName, lastName, company)")
        }
        var updates: [String: FieldUpdate<String>] = [:]
        for (field, limit) in ProfileFields.limits {
            switch body.nullableString(field) {
            case .set(let raw):
                let value = raw.trimmingWhitespace()
                if value.count > limit {
                    body.reject(field, "must be at most \(limit) characters")
                } else {
                    updates[field] = value.isEmpty ? .cleared : .set(value)
                }
            case let update:
                updates[field] = update
            }
        }
        name = updates["name"] ?? .unchanged
        firstName = updates["firstName"] ?? .unchanged
        lastName = updates["lastName"] ?? .unchanged
        company = updates["company"] ?? .unchanged
    }

    /// Each column with its update, for the statement.
    var columns: [(String, FieldUpdate<String>)] {
        [("name", name), ("first_name", firstName), ("last_name", lastName), ("company", company)]
    }

    /// The fields changed (never their values), for the audit trail.
    var changedFields: [String] {
        zip(ProfileFields.limits.map(\.0), columns).compactMap { field, column in
            if case .unchanged = column.1 { return nil }
            return field
        }
    }
}
