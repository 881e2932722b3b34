import CLibCurl

/// Delivers mail to one SMTP server through libcurl, as `SMTP_URL` names it:
///
/// - `smtps://user:pass@host:465`: TLS from the first byte (RFC 8314 §3.3);
/// - `smtp://user:pass@host:587`: STARTTLS required (RFC 3207), except to a loopback host,
///   where it is used when the server offers it.
///
/// User and password are percent-decoded and optional (no AUTH without them); the port defaults
/// to 465 or 587. The server's certificate and host name are verified against `trust`.
///
/// Blocking: `send` connects, delivers one message, and closes, within `timeouts`. Call it from
/// worker threads; any number may send at once, each on its own connection.
///
/// ```swift
/// let transport = try SMTPTransport(url: smtpURL, trust: try CertificateTrust(extraCAFile: extraCAFile))
/// try transport.send(try MailMessage(from: sender, to: recipient, subject: "Verify your email", text: text, html: html))
/// ```
public struct SMTPTransport: Sendable, CustomStringConvertible {
    let endpoint: SMTPEndpoint
    let trust: CertificateTrust
    let timeouts: OutboundTimeouts

    public init(url: String, trust: CertificateTrust, timeouts: OutboundTimeouts = .init()) throws(OutboundConfigurationError) {
        endpoint = try SMTPEndpoint(url: url)
        self.trust = trust
        self.timeouts = timeouts
    }

    /// The server's URL, user name included, password left out.
    public var description: String { endpoint.description }

    /// Delivers `message` to its `To` address, from its `From` address.
    public func send(_ message: MailMessage) throws(SMTPError) {
        try send(message.bytes, from: message.from, to: [message.to])
    }

    /// Delivers already rendered RFC 5322 bytes (CRLF line endings) with the given envelope.
    /// libcurl dot-stuffs lines that begin with "." (RFC 5321 §4.5.2) and ends the data itself.
    /// `recipients` must not be empty.
    public func send(_ message: [UInt8], from sender: MailAddress, to recipients: [MailAddress]) throws(SMTPError) {
        precondition(!recipients.isEmpty, "an SMTP transaction needs a recipient")
        let easy = CurlEasy()
        easy.set(CURLOPT_URL, endpoint.curlURL)
        easy.set(CURLOPT_PROTOCOLS_STR, endpoint.scheme)
        easy.set(CURLOPT_USE_SSL, Int(useSSL.rawValue))
        // The handle is dropped after one message. A connection left in its cache would be closed
        // by curl_easy_cleanup, which sends QUIT and waits for the reply with none of this
        // transfer's timeouts (120 s against a server that hangs); closed here, inside the
        // transfer, the wait stays bounded by `TransferDeadline`.
        easy.set(CURLOPT_FORBID_REUSE, 1)
        trust.apply(to: easy)
        timeouts.apply(to: easy)
        if let credentials = endpoint.credentials {
            easy.set(CURLOPT_USERNAME, credentials.username)
            easy.set(CURLOPT_PASSWORD, credentials.password)
        }
        // MailAddress refuses CR, LF and angle brackets, so an address cannot end the command
        // and start another. libcurl asks for SMTPUTF8 (RFC 6531 §3.4) when one is not ASCII.
        easy.set(CURLOPT_MAIL_FROM, "<\(sender.address)>")
        easy.set(CURLOPT_MAIL_RCPT, list: recipients.map { "<\($0.address)>" })
        easy.upload(message)
        let dialogue = SMTPDialogue()
        easy.trace(into: dialogue)
        do throws(CurlFailure) {
            try easy.perform()
        } catch {
            throw SMTPError(error, dialogue: dialogue, responseCode: easy.responseCode)
        }
    }

    private var useSSL: curl_usessl {
        switch endpoint.security {
        case .implicitTLS, .startTLSRequired: CURLUSESSL_ALL
        case .startTLSIfOffered: CURLUSESSL_TRY
        }
    }
}
