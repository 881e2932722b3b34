/// An incremental HTTP/1.1 request parser (RFC 9112) over the bytes of one connection.
///
/// Feed it whatever the socket delivered with `append`, then call `next` until it answers nil:
/// it reports each pipelined request in order, a `.expectContinue` where the client waits for
/// one, or a `.failure` after which the connection must be answered and closed.
/// Each byte is examined once whatever the split; complete head lines are consumed as they are
/// parsed, so the buffer only holds the unfinished line or body bytes.
public struct HTTPRequestParser: Sendable {
    /// Where the current request stands, for choosing between idle and header timeouts.
    public enum Progress: Sendable {
        /// No byte of a next request has arrived (empty lines before a request line are not counted).
        case awaitingRequest
        case readingHead
        case readingBody
    }

    private enum Phase {
        case requestLine
        case headerFields(HTTPRequestLine)
        case contentLengthBody(HTTPRequestLine, remaining: Int)
        case chunkedBody(HTTPRequestLine)
        case failed
    }

    /// Emptying a buffer bigger than this frees it, so that one large body does not pin its
    /// memory for the life of a keep-alive connection.
    private static let retainedCapacityLimit = 64 * 1024

    private let limits: HTTPLimits
    private var storage: [UInt8] = []
    /// The first byte of `storage` not yet consumed.
    private var readIndex = 0
    private var phase = Phase.requestLine
    private var lineScanner = HTTPLineScanner()
    private var headerSection = HTTPHeaderSection()
    private var headerByteCount = 0
    private var body: [UInt8] = []
    private var chunkedDecoder: ChunkedBodyDecoder
    private var expectContinuePending = false

    public init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
        chunkedDecoder = ChunkedBodyDecoder(limits: limits)
    }

    /// Bytes received but not yet consumed, for backpressure.
    public var bufferedByteCount: Int { storage.count - readIndex }

    public var progress: Progress {
        switch phase {
        case .requestLine: bufferedByteCount > 0 ? .readingHead : .awaitingRequest
        case .headerFields: .readingHead
        case .contentLengthBody, .chunkedBody: .readingBody
        case .failed: .awaitingRequest
        }
    }

    /// Takes bytes received from the socket. Ignored after a failure.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if case .failed = phase { return }
        if readIndex == storage.count {
            storage.removeAll(keepingCapacity: storage.capacity <= Self.retainedCapacityLimit)
            readIndex = 0
        } else if readIndex > storage.count / 2 {
            // Consumed bytes are dropped only once they are the larger part, so compaction costs
            // amortized O(1) per byte.
            storage.removeSubrange(..<readIndex)
            readIndex = 0
        }
        storage.append(contentsOf: bytes)
    }

    /// The next event the received bytes allow, or nil when more bytes are needed (or after a failure).
    public mutating func next() -> HTTPParseEvent? {
        do throws(HTTPParseError) {
            return try advance()
        } catch {
            phase = .failed
            storage = []
            readIndex = 0
            return .failure(error)
        }
    }

    private mutating func advance() throws(HTTPParseError) -> HTTPParseEvent? {
        while true {
            switch phase {
            case .failed:
                return nil

            case .requestLine:
                guard let requestLine = try parseRequestLine() else { return nil }
                phase = .headerFields(requestLine)

            case .headerFields(let requestLine):
                guard try parseHeaderSection(version: requestLine.version) else { return nil }
                let framing = try headerSection.bodyFraming(version: requestLine.version)
                expectContinuePending = headerSection.expectsContinue
                switch framing {
                case .none:
                    return .request(finishRequest(requestLine))
                case .contentLength(let length):
                    // The buffer grows as bytes arrive: a Content-Length alone reserves nothing.
                    phase = .contentLengthBody(requestLine, remaining: length)
                case .chunked:
                    chunkedDecoder = ChunkedBodyDecoder(limits: limits)
                    phase = .chunkedBody(requestLine)
                }

            case .contentLengthBody(let requestLine, let remaining):
                let count = min(remaining, bufferedByteCount)
                body.append(contentsOf: storage[readIndex..<(readIndex + count)])
                readIndex += count
                guard count == remaining else {
                    phase = .contentLengthBody(requestLine, remaining: remaining - count)
                    return takeExpectContinue()
                }
                return .request(finishRequest(requestLine))

            case .chunkedBody(let requestLine):
                let (consumed, isComplete) = try storage.withUnsafeBufferPointer { (all) throws(HTTPParseError) in
                    try chunkedDecoder.decode(UnsafeBufferPointer(rebasing: all[readIndex...]), into: &body)
                }
                readIndex += consumed
                guard isComplete else { return takeExpectContinue() }
                return .request(finishRequest(requestLine))
            }
        }
    }

    /// Consumes empty lines and then a complete request line; nil while it has not fully arrived.
    private mutating func parseRequestLine() throws(HTTPParseError) -> HTTPRequestLine? {
        // RFC 9112 §3: a request line longer than the server accepts is answered with 414.
        while let length = try nextLineLength(maxLength: limits.maxRequestLineBytes, tooLong: .uriTooLong("request line too long")) {
            // RFC 9112 §2.2: empty lines before a request line should be ignored.
            if length == 0 {
                readIndex += 2
                continue
            }
            let requestLine = try storage.withUnsafeBufferPointer { (all) throws(HTTPParseError) in
                try HTTPRequestLine(parsing: UnsafeBufferPointer(rebasing: all[readIndex..<(readIndex + length)]))
            }
            readIndex += length + 2
            return requestLine
        }
        return nil
    }

    /// Consumes complete field lines up to and including the empty line that ends the header
    /// section; false while that line has not arrived.
    private mutating func parseHeaderSection(version: HTTPVersion) throws(HTTPParseError) -> Bool {
        // Each line with its CRLF must fit in what is left of the header section's bytes.
        while let length = try nextLineLength(
            maxLength: limits.maxHeaderBytes - headerByteCount - 2, tooLong: .headerFieldsTooLarge("header section too large")
        ) {
            headerByteCount += length + 2
            if length == 0 {
                readIndex += 2
                return true
            }
            if headerSection.count == limits.maxHeaderCount { throw .headerFieldsTooLarge("too many header fields") }
            try storage.withUnsafeBufferPointer { (all) throws(HTTPParseError) in
                let field = try HTTPFieldLine(parsing: UnsafeBufferPointer(rebasing: all[readIndex..<(readIndex + length)]))
                try headerSection.add(field, version: version, limits: limits)
            }
            readIndex += length + 2
        }
        return false
    }

    /// The length of the next complete line without its CRLF, or nil while it has not fully arrived.
    private mutating func nextLineLength(maxLength: Int, tooLong: HTTPParseError) throws(HTTPParseError) -> Int? {
        try storage.withUnsafeBufferPointer { (all) throws(HTTPParseError) in
            try lineScanner.lineLength(in: UnsafeBufferPointer(rebasing: all[readIndex...]), maxLength: maxLength, tooLong: tooLong)
        }
    }

    /// The 100-continue signal, the first time the body is found incomplete.
    private mutating func takeExpectContinue() -> HTTPParseEvent? {
        guard expectContinuePending else { return nil }
        expectContinuePending = false
        return .expectContinue
    }

    /// Hands over the request's parts and readies the parser for the next request.
    private mutating func finishRequest(_ requestLine: HTTPRequestLine) -> HTTPRequest {
        let request = HTTPRequest(
            method: requestLine.method,
            target: requestLine.target,
            version: requestLine.version,
            headers: headerSection.headers,
            body: body,
            keepAlive: headerSection.keepAlive(version: requestLine.version)
        )
        phase = .requestLine
        headerSection = HTTPHeaderSection()
        headerByteCount = 0
        body = []
        expectContinuePending = false
        return request
    }
}
