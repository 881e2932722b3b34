/// A parsed request line: `method SP request-target SP HTTP-version` (RFC 9112 §3).
struct HTTPRequestLine {
    let method: HTTPMethod
    let target: String
    let version: HTTPVersion

    /// Parses a request line given without its CRLF.
    init(parsing line: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) {
        var methodEnd = 0
        while methodEnd < line.count && HTTPSyntax.isToken(line[methodEnd]) { methodEnd += 1 }
        // RFC 9112 §3: exactly one SP between the parts.
        guard methodEnd > 0, methodEnd < line.count, line[methodEnd] == HTTPSyntax.space else {
            throw .badRequest("invalid method")
        }

        let targetStart = methodEnd + 1
        var targetEnd = targetStart
        while targetEnd < line.count && line[targetEnd] != HTTPSyntax.space {
            guard HTTPSyntax.isTarget(line[targetEnd]) else { throw .badRequest("invalid character in request target") }
            targetEnd += 1
        }
        guard targetEnd > targetStart, targetEnd < line.count else { throw .badRequest("malformed request line") }

        let method = HTTPMethod(rawValue: HTTPSyntax.string(UnsafeBufferPointer(rebasing: line[..<methodEnd])))
        let target = UnsafeBufferPointer(rebasing: line[targetStart..<targetEnd])
        // RFC 9112 §3.2: origin-form, or asterisk-form for a server-wide OPTIONS; this server is
        // no proxy, so absolute-form and authority-form are refused.
        let isOriginForm = target[0] == UInt8(ascii: "/")
        let isAsteriskForm = target.count == 1 && target[0] == UInt8(ascii: "*") && method == .OPTIONS
        guard isOriginForm || isAsteriskForm else { throw .badRequest("unsupported request-target form") }

        self.method = method
        self.target = HTTPSyntax.string(target)
        self.version = try Self.version(UnsafeBufferPointer(rebasing: line[(targetEnd + 1)...]))
    }

    /// HTTP-version = "HTTP/" DIGIT "." DIGIT, case-sensitive (RFC 9112 §2.3).
    private static func version(_ bytes: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> HTTPVersion {
        guard bytes.count == 8,
              bytes[0] == UInt8(ascii: "H"), bytes[1] == UInt8(ascii: "T"),
              bytes[2] == UInt8(ascii: "T"), bytes[3] == UInt8(ascii: "P"),
              bytes[4] == UInt8(ascii: "/"), bytes[6] == UInt8(ascii: "."),
              case let major = bytes[5] &- UInt8(ascii: "0"), major < 10,
              case let minor = bytes[7] &- UInt8(ascii: "0"), minor < 10
        else { throw .badRequest("malformed HTTP version") }
        guard major == 1 else { throw .versionNotSupported("HTTP/\(major).\(minor) is not supported") }
        // RFC 9110 §6.2: a higher minor version is handled as the highest one implemented.
        return minor == 0 ? .http1_0 : .http1_1
    }
}
