/// Where the SMTP server is and how to talk to it, as `SMTP_URL` says.
struct SMTPEndpoint: Sendable, CustomStringConvertible {
    enum Security: Sendable {
        /// `smtps://`: TLS from the first byte (RFC 8314 §3.3).
        case implicitTLS
        /// `smtp://` to another machine: STARTTLS (RFC 3207) or no delivery at all.
        case startTLSRequired
        /// `smtp://` to a loopback host: STARTTLS when the server offers it, plain otherwise
        /// (a development relay; nothing leaves the machine).
        case startTLSIfOffered
    }

    let scheme: String
    let host: String
    let port: Int
    let security: Security
    let credentials: SMTPCredentials?

    init(url: String) throws(OutboundConfigurationError) {
        guard let parsed = CurlURL(url) else {
            throw OutboundConfigurationError("SMTP_URL is not a URL (expected smtps://user:pass@host:465 or smtp://user:pass@host:587)")
        }
        switch parsed.scheme {
        case "smtps":
            security = .implicitTLS
        case "smtp":
            security = parsed.hasLoopbackHost ? .startTLSIfOffered : .startTLSRequired
        default:
            throw OutboundConfigurationError("SMTP_URL scheme \(parsed.scheme) is not smtp or smtps")
        }
        // libcurl would take a path as the EHLO name; nothing in the contract sets one, so a
        // path, query or fragment is a mistake (often an unencoded "/" or "#" in the password).
        guard parsed.path == "/" || parsed.path.isEmpty, parsed.query == nil, parsed.fragment == nil else {
            throw OutboundConfigurationError("SMTP_URL has a path, query or fragment; percent-encode / ? # in the user or password")
        }
        switch (parsed.user.flatMap { $0.isEmpty ? nil : $0 }, parsed.password) {
        case let (user?, password):
            credentials = SMTPCredentials(username: user, password: password ?? "")
        case (nil, nil):
            credentials = nil
        case (nil, _?):
            throw OutboundConfigurationError("SMTP_URL has a password but no user")
        }
        scheme = parsed.scheme
        host = parsed.host
        // RFC 8314 §3.3 (submissions, 465) and RFC 6409 §3.1 (submission, 587): the ports for
        // mail handed over by a client, rather than relayed between servers (25).
        port = parsed.port ?? (security == .implicitTLS ? 465 : 587)
    }

    /// What libcurl is given: no credentials, which go through CURLOPT_USERNAME and
    /// CURLOPT_PASSWORD, so they cannot turn up in libcurl's messages about the URL.
    var curlURL: String { "\(scheme)://\(host):\(port)" }

    /// The URL without the password.
    var description: String {
        let user = credentials.map { "\($0.username)@" } ?? ""
        return "\(scheme)://\(user)\(host):\(port)"
    }
}
