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
        self.method = method
        self.target = try Self.originForm(of: target, method: method)
        self.version = try Self.version(UnsafeBufferPointer(rebasing: line[(targetEnd + 1)...]))
    }

    /// The target as origin-form ("/path?query"). RFC 9112 §3.2: origin-form; asterisk-form for a
    /// server-wide OPTIONS; absolute-form, which a server must accept (§3.2.2), reduced to its
    /// path and query (its authority takes the place of Host, and this server answers for any).
    /// Authority-form is for CONNECT to a proxy, which this server is not.
    private static func originForm(of target: UnsafeBufferPointer<UInt8>, method: HTTPMethod) throws(HTTPParseError) -> String {
        if target[0] == UInt8(ascii: "/") { return HTTPSyntax.string(target) }
        if target.count == 1 && target[0] == UInt8(ascii: "*") && method == .OPTIONS { return "*" }
        guard let authorityStart = schemeLength(target) else { throw .badRequest("unsupported request-target form") }
        var pathStart = authorityStart
        while pathStart < target.count && target[pathStart] != UInt8(ascii: "/") && target[pathStart] != UInt8(ascii: "?") {
            guard HTTPSyntax.isHost(target[pathStart]) || target[pathStart] == UInt8(ascii: "@") else {
                throw .badRequest("invalid authority in request target")
            }
            pathStart += 1
        }
        guard pathStart > authorityStart else { throw .badRequest("empty authority in request target") }
        let rest = HTTPSyntax.string(UnsafeBufferPointer(rebasing: target[pathStart...]))
        // An empty path in absolute-form means "/" (RFC 9112 §3.2.1).
        return rest.first == "/" ? rest : "/" + rest
    }

    /// The length of `http://` or `https://` (any case) at the start of `target`, or nil.
    private static func schemeLength(_ target: UnsafeBufferPointer<UInt8>) -> Int? {
        for scheme: StaticString in ["http://", "https://"] where target.count > scheme.utf8CodeUnitCount {
            let length = scheme.utf8CodeUnitCount
            if HTTPSyntax.bytes(UnsafeBufferPointer(rebasing: target[..<length]), equalIgnoringCase: scheme) { return length }
        }
        return nil
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
