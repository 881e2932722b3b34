import Outbound

extension AppConfiguration {
    /// `SMTP_URL`, `MAIL_FROM`, `EXTRA_CA_FILE` and the settings of the mail flows. A transport
    /// that could not work (a bad URL, an unreadable CA file) is refused at start, not at the
    /// first message.
    mutating func readEmailSettings(_ settings: inout SettingsReader) {
        extraCAFile = settings.raw("EXTRA_CA_FILE")
        email.smtpURL = settings.raw("SMTP_URL")
        email.from = settings.read("MAIL_FROM", "an address such as \"Acme <no-reply@acme.example>\"") { try? MailAddress(parsing: $0) }
            ?? email.from
        email.smtpConnectTimeout = settings.interval("SMTP_CONNECT_TIMEOUT", default: email.smtpConnectTimeout)
        email.smtpTimeout = settings.interval("SMTP_TIMEOUT", default: email.smtpTimeout)
        email.passwordResetTTL = settings.seconds("PASSWORD_RESET_TTL", default: email.passwordResetTTL)
        email.verificationTTL = settings.seconds("EMAIL_VERIFICATION_TTL", default: email.verificationTTL)
        email.requireVerification = settings.bool("REQUIRE_EMAIL_VERIFICATION", default: email.requireVerification)
        email.pollInterval = settings.interval("MAIL_POLL_INTERVAL", default: email.pollInterval)
        email.retryBackoff = settings.interval("MAIL_RETRY_BACKOFF", default: email.retryBackoff)
        email.retryLimit = settings.seconds("MAIL_RETRY_LIMIT", default: email.retryLimit)
        email.maxRequestsPerClient = settings.integer("EMAIL_MAX_PER_IP", in: 1...Int(Int32.max), default: email.maxRequestsPerClient)
        email.maxRequestsPerAddress = settings.integer("EMAIL_MAX_PER_ADDRESS", in: 1...Int(Int32.max), default: email.maxRequestsPerAddress)
        if email.smtpURL != nil || extraCAFile != nil {
            do {
                _ = try email.transport(extraCAFile: extraCAFile)
            } catch {
                settings.problem(error.description)
            }
        }
    }
}
