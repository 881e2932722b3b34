/// A request's header section as its field lines arrive: the fields in order, and the facts
/// that framing, persistence and Expect depend on, checked as soon as each field is seen.
struct HTTPHeaderSection {
    private(set) var headers = HTTPHeaders(reservingFields: 16, bytes: 512)
    private(set) var expectsContinue = false
    private var hostCount = 0
    private var contentLength: Int?
    private var hasTransferEncoding = false
    private var transferCodingCount = 0
    private var chunkedCodingCount = 0
    private var hasUnknownTransferCoding = false
    private var lastCodingIsChunked = false
    private var hasConnectionClose = false
    private var hasConnectionKeepAlive = false

    var count: Int { headers.count }

    mutating func add(_ field: HTTPFieldLine, version: HTTPVersion, limits: HTTPLimits) throws(HTTPParseError) {
        switch field.name.count {
        case 4 where HTTPSyntax.bytes(field.name, equalIgnoringCase: "host"):
            try addHost(field.value)
        case 6 where HTTPSyntax.bytes(field.name, equalIgnoringCase: "expect"):
            // RFC 9110 §10.1.1: a 100-continue expectation in an HTTP/1.0 request must be ignored.
            if version == .http1_1 { try addExpectation(field.value) }
        case 10 where HTTPSyntax.bytes(field.name, equalIgnoringCase: "connection"):
            addConnectionOptions(field.value)
        case 14 where HTTPSyntax.bytes(field.name, equalIgnoringCase: "content-length"):
            try addContentLength(field.value, limits: limits)
        case 17 where HTTPSyntax.bytes(field.name, equalIgnoringCase: "transfer-encoding"):
            // RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0 means the framing is faulty.
            guard version == .http1_1 else { throw .badRequest("Transfer-Encoding in an HTTP/1.0 request") }
            try addTransferCodings(field.value)
        default:
            break
        }
        headers.add(name: field.name, value: field.value)
    }

    /// The body's framing, once the whole header section has arrived.
    func bodyFraming(version: HTTPVersion) throws(HTTPParseError) -> HTTPBodyFraming {
        // RFC 9112 §3.2: an HTTP/1.1 request lacking Host must be answered with 400.
        if version == .http1_1 && hostCount == 0 { throw .badRequest("missing Host") }
        if hasTransferEncoding {
            // RFC 9112 §6.1: a server may reject Transfer-Encoding with Content-Length (smuggling).
            guard contentLength == nil else { throw .badRequest("both Transfer-Encoding and Content-Length") }
            guard transferCodingCount > 0 else { throw .badRequest("empty Transfer-Encoding") }
            // RFC 9112 §7.1: chunked must not be applied more than once.
            guard chunkedCodingCount <= 1 else { throw .badRequest("chunked applied more than once") }
            // RFC 9112 §6.3: without chunked as the final coding the body's length cannot be
            // determined: 400 and close, whatever the codings are.
            guard lastCodingIsChunked else { throw .badRequest("chunked is not the final transfer coding") }
            // RFC 9112 §6.1: a transfer coding the server does not understand is answered with 501.
            guard !hasUnknownTransferCoding else { throw .notImplemented("unsupported transfer coding") }
            return .chunked
        }
        return contentLength.map(HTTPBodyFraming.contentLength) ?? .none
    }

    /// Whether the connection persists after this request (RFC 9112 §9.3).
    func keepAlive(version: HTTPVersion) -> Bool {
        switch version {
        case .http1_1: !hasConnectionClose
        case .http1_0: hasConnectionKeepAlive && !hasConnectionClose
        }
    }

    private mutating func addHost(_ value: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) {
        hostCount += 1
        // RFC 9112 §3.2: more than one Host, or an invalid Host value, must be answered with 400.
        guard hostCount == 1 else { throw .badRequest("more than one Host") }
        guard value.allSatisfy(HTTPSyntax.isHost) else { throw .badRequest("invalid Host") }
    }

    private mutating func addExpectation(_ value: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) {
        try HTTPSyntax.forEachListElement(in: value) { (expectation) throws(HTTPParseError) in
            // RFC 9110 §10.1.1: any other expectation may be answered with 417.
            guard HTTPSyntax.bytes(expectation, equalIgnoringCase: "100-continue") else {
                throw .expectationFailed("unsupported expectation")
            }
            expectsContinue = true
        }
    }

    private mutating func addConnectionOptions(_ value: UnsafeBufferPointer<UInt8>) {
        HTTPSyntax.forEachListElement(in: value) { option in
            if HTTPSyntax.bytes(option, equalIgnoringCase: "close") {
                hasConnectionClose = true
            } else if HTTPSyntax.bytes(option, equalIgnoringCase: "keep-alive") {
                hasConnectionKeepAlive = true
            }
        }
    }

    private mutating func addContentLength(_ value: UnsafeBufferPointer<UInt8>, limits: HTTPLimits) throws(HTTPParseError) {
        // RFC 9112 §6.3: several or invalid Content-Length values make the framing unrecoverable;
        // even identical repeats are refused rather than merged.
        guard contentLength == nil else { throw .badRequest("more than one Content-Length") }
        guard !value.isEmpty else { throw .badRequest("empty Content-Length") }
        var length = 0
        for byte in value {
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { throw .badRequest("invalid Content-Length") }
            // Saturate just past the limit so that any number of digits cannot overflow.
            length = min(length * 10 + Int(digit), limits.maxBodyBytes + 1)
        }
        guard length <= limits.maxBodyBytes else { throw .contentTooLarge("Content-Length over the body limit") }
        contentLength = length
    }

    private mutating func addTransferCodings(_ value: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) {
        hasTransferEncoding = true
        try HTTPSyntax.forEachListElement(in: value) { (coding) throws(HTTPParseError) in
            guard coding.allSatisfy(HTTPSyntax.isToken) else { throw .badRequest("malformed Transfer-Encoding") }
            transferCodingCount += 1
            lastCodingIsChunked = HTTPSyntax.bytes(coding, equalIgnoringCase: "chunked")
            if lastCodingIsChunked {
                chunkedCodingCount += 1
            } else {
                hasUnknownTransferCoding = true
            }
        }
    }
}
