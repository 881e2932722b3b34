import FoundationEssentials

/// Emails are compared trimmed and lowercased (API.md), and checked for a plausible shape:
/// deliverability is the mailer's business, but garbage must not become an account.
enum EmailAddress {
    static let maximumLength = 254

    static func normalize(_ raw: String) -> String {
        raw.trimmingWhitespace().lowercased()
    }

    /// The problem with a normalized address, or nil when it is acceptable.
    static func problem(with email: String) -> String? {
        if email.isEmpty { return "is required" }
        if email.utf8.count > maximumLength { return "must be at most \(maximumLength) characters" }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let local = parts.first, let domain = parts.last,
              !local.isEmpty, local.utf8.count <= 64,
              domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix("."), !domain.contains(".."),
              !email.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F || "<>()[],;:\\\"".unicodeScalars.contains($0) })
        else { return "is not a valid email address" }
        return nil
    }
}
