import JSON
import Foundation

/// An account's sign-ins with OpenID providers, as the export and the admin's view of a user
/// show them.
struct LinkedIdentity: JSONWritable {
    let provider: String
    let subject: String
    let email: String?
    let linkedAt: Date

    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.member("provider", provider)
        json.member("subject", subject)
        json.member("email", email)
        json.member("linkedAt", linkedAt)
        json.endObject()
    }
}

/// The one place that reads a user's identities for administration and the export. This branch
/// has no `identities` table (OpenID Connect adds it), so there are none yet; deletion needs no
/// code of its own, as the table's rows cascade from `users`.
struct LinkedIdentities: Sendable {
    func identities(of userID: UUID, on database: some SQLRunner) async throws -> [LinkedIdentity] {
        []
    }
}
