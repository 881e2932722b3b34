import AuthCrypto

/// A token that a link in mail carries: 32 bytes from the CSPRNG, base64url. Only its SHA-256
/// is stored; the token itself exists in the mail alone (and in the outbox row until delivered).
struct EmailToken {
    enum Kind: String, Sendable {
        case passwordReset = "password_reset"
        case verification = "email_verification"
        case emailChange = "email_change"

        /// Where the frontend receives the link: `APP_URL/<path>?token=...`.
        var linkPath: String {
            switch self {
            case .passwordReset: "reset-password"
            case .verification: "verify-email"
            case .emailChange: "confirm-email"
            }
        }
    }

    let value: String

    /// `APP_URL/<path>?token=...`; base64url needs no percent-encoding in a query.
    func link(_ kind: Kind, appURL: String) -> String {
        "\(appURL)/\(kind.linkPath)?token=\(value)"
    }

    static func generate() -> EmailToken {
        EmailToken(value: Base64URL.encode(SecureRandom.bytes(count: 32)))
    }

    var hash: [UInt8] { Self.hash(value) }

    static func hash(_ presented: String) -> [UInt8] {
        SHA256.hash(Array(presented.utf8))
    }

    /// Ours are 43 characters; anything far longer is not worth hashing or a query.
    static func isPlausible(_ presented: String) -> Bool {
        (1...256).contains(presented.utf8.count)
    }
}
