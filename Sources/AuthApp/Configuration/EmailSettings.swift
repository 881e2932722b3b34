import Outbound

/// Mail delivery and the flows that mail links: `SMTP_URL`, `MAIL_FROM`, the token lifetimes,
/// `REQUIRE_EMAIL_VERIFICATION`, and the outbox sender's pace.
public struct EmailSettings: Sendable {
    /// Where mail goes; nil: development and test log each message, production sends nothing.
    public var smtpURL: String?
    public var from = try! MailAddress(parsing: "authserver <no-reply@localhost>")
    public var smtpConnectTimeout: Double = 10
    /// One delivery, connecting included.
    public var smtpTimeout: Double = 30
    public var passwordResetTTL = 30 * 60
    public var verificationTTL = 24 * 3600
    /// Login and refresh refuse an unverified account; registration opens no session.
    public var requireVerification = false
    /// How often a sender looks for due mail it was not woken for (other instances', retries).
    public var pollInterval: Double = 5
    /// The wait before the first retry of a transient failure; it doubles with each attempt, up
    /// to an hour between attempts.
    public var retryBackoff: Double = 30
    /// How long after it was queued a message is still retried; then it is marked failed.
    public var retryLimit = 24 * 3600
    /// Mail-sending requests (forgot-password, resend-verification, change-email) per client IP,
    /// and per address or account, in `RATE_LIMIT_WINDOW`.
    public var maxRequestsPerClient = 20
    public var maxRequestsPerAddress = 5

    /// How long a link of `kind` works.
    func lifetime(of kind: EmailToken.Kind) -> Int {
        kind == .passwordReset ? passwordResetTTL : verificationTTL
    }

    /// The product the templates name: `MAIL_FROM`'s display name, else "authserver".
    public var productName: String { from.displayName ?? "authserver" }

    /// The transport `SMTP_URL` names, trusting the system's CAs and `extraCAFile`; nil without one.
    public func transport(extraCAFile: String?) throws(OutboundConfigurationError) -> SMTPTransport? {
        guard let smtpURL else { return nil }
        return try SMTPTransport(url: smtpURL, trust: CertificateTrust(extraCAFile: extraCAFile),
                                 timeouts: OutboundTimeouts(connect: smtpConnectTimeout, total: smtpTimeout))
    }
}
