import CLibCurl

/// What libcurl and the SMTP server said to each other, read off libcurl's debug callback, so
/// that a failure can tell where it happened and what the server answered.
///
/// Only command verbs are kept of what libcurl sends: the rest of an AUTH line, and the lines
/// that answer the server's AUTH challenges, carry the credentials.
final class SMTPDialogue {
    /// RFC 5321 §4.1.1, RFC 3207, RFC 4954: the commands libcurl sends. QUIT is left out: libcurl
    /// sends it once the outcome is known, also after a failure.
    private static let verbs: Set<String> = ["EHLO", "HELO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA", "RSET"]
    /// A reply text longer than this is cut: it goes into error messages and logs.
    private static let replyLimit = 200

    /// The last command sent, before QUIT.
    private(set) var lastCommand: String?
    /// The server's first refusal, a 4yz or 5yz line such as `550 5.1.1 <x@example.com>:
    /// Recipient address rejected`, and the command it answered.
    private(set) var refusal: (reply: String, command: String?)?

    fileprivate func record(_ type: curl_infotype, _ data: UnsafeBufferPointer<UInt8>) {
        switch type {
        case CURLINFO_HEADER_OUT:
            let verb = String(decoding: data.prefix(while: { !" :\r\n".utf8.contains($0) }), as: UTF8.self).uppercased()
            if Self.verbs.contains(verb) { lastCommand = verb }
        case CURLINFO_HEADER_IN:
            for line in data.split(separator: 10) where refusal == nil && [UInt8(ascii: "4"), UInt8(ascii: "5")].contains(line.first) {
                let text = String(decoding: line.filter { (32..<127).contains($0) }, as: UTF8.self)
                refusal = (String(text.prefix(Self.replyLimit)), lastCommand)
            }
        default:
            break
        }
    }
}

extension CurlEasy {
    /// Records the dialogue of this transfer in `dialogue`. CURLOPT_VERBOSE only turns the
    /// callback on: with a callback set, libcurl prints nothing itself.
    func trace(into dialogue: SMTPDialogue) {
        set(CURLOPT_VERBOSE, 1)
        set(CURLOPT_DEBUGDATA, context: dialogue)
        set(debugCallback: { _, type, data, size, context in
            guard let data, let context else { return 0 }
            let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: size)
            Unmanaged<SMTPDialogue>.fromOpaque(context).takeUnretainedValue().record(type, bytes)
            return 0
        })
    }
}
