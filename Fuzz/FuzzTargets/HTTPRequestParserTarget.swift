import HTTPServer

/// `HTTPRequestParser` over arbitrary bytes, as one connection's stream.
///
/// Invariants: the events do not depend on how the bytes arrive (whole, in input-derived pieces,
/// byte by byte: the parser promises the same result for any split), but for `.expectContinue`,
/// which by design only comes while a body is incomplete, at most once per request; a failure is the last event
/// and its status is one of the parser's; every body is within the limit; the parser never holds
/// more bytes than it was given. Run under default limits and under small ones, so that every
/// limit is reachable by short inputs.
public enum HTTPRequestParserTarget: FuzzTarget {
    public static let name = "HTTPRequestParser"

    static let smallLimits = HTTPLimits(
        maxRequestLineBytes: 128, maxHeaderBytes: 512, maxHeaderCount: 8, maxBodyBytes: 1024, maxChunkExtensionBytes: 32
    )

    public static func check(_ input: [UInt8]) throws(InvariantViolation) {
        for limits in [HTTPLimits(), smallLimits] {
            let whole = try events(of: input, cutAt: [], limits: limits)
            let pieces = try events(of: input, cutAt: cuts(of: input), limits: limits)
            try require(pieces == whole, "events differ when the input arrives in pieces:\n\(pieces)\nvs whole:\n\(whole)")
            if input.count <= 4096 {
                let bytes = try events(of: input, cutAt: Array(input.indices.dropFirst()), limits: limits)
                try require(bytes == whole, "events differ when the input arrives byte by byte:\n\(bytes)\nvs whole:\n\(whole)")
            }
        }
    }

    /// The events of `input` delivered in pieces ending at `cutAt`, with failures reduced to their
    /// status: where a limit is noticed (on a complete line or on a still-growing one) may change
    /// the reason's wording, never the answer.
    enum Event: Equatable {
        case request(HTTPRequest)
        case failure(status: Int)
    }

    static func events(of input: [UInt8], cutAt cuts: [Int], limits: HTTPLimits) throws(InvariantViolation) -> [Event] {
        var parser = HTTPRequestParser(limits: limits)
        var events: [Event] = []
        var start = 0
        var failed = false
        var continued = false
        for end in cuts + [input.count] {
            input[start..<end].withUnsafeBytes { parser.append($0) }
            start = end
            try require(parser.bufferedByteCount <= end, "buffers \(parser.bufferedByteCount) bytes of \(end) received")
            while let event = parser.next() {
                try require(!failed, "an event after a failure")
                switch event {
                case .expectContinue:
                    try require(!continued, "a second 100-continue for one request")
                    continued = true
                case .request(let request):
                    try require(request.body.count <= limits.maxBodyBytes, "a body of \(request.body.count) bytes")
                    continued = false
                    events.append(.request(request))
                case .failure(let error):
                    try require([400, 413, 414, 417, 431, 501, 505].contains(error.status), "status \(error.status) for \(error.reason)")
                    failed = true
                    events.append(.failure(status: error.status))
                }
            }
        }
        return events
    }
}
