import HTTPServer

/// `ChunkedBodyDecoder` over arbitrary bytes as a chunked body, used as the request parser uses
/// it: the unconsumed rest is passed again with the next bytes appended.
///
/// Invariants: it never consumes more than it was given; the decoded body stays within the
/// limit; the outcome (body, completion, where the message ends, failure status) is the same
/// whole, in input-derived pieces and byte by byte.
public enum ChunkedBodyDecoderTarget: FuzzTarget {
    public static let name = "ChunkedBodyDecoder"

    static let limits = HTTPLimits(maxHeaderBytes: 512, maxHeaderCount: 8, maxBodyBytes: 4096, maxChunkExtensionBytes: 64)

    struct Outcome: Equatable {
        var body: [UInt8] = []
        /// Where the body ended in the input, once complete.
        var end: Int?
        var failureStatus: Int?
    }

    public static func check(_ input: [UInt8]) throws(InvariantViolation) {
        let whole = try decode(input, cutAt: [])
        let pieces = try decode(input, cutAt: cuts(of: input))
        try require(pieces == whole, "pieces \(pieces) vs whole \(whole)")
        if input.count <= 4096 {
            let bytes = try decode(input, cutAt: Array(input.indices.dropFirst()))
            try require(bytes == whole, "byte by byte \(bytes) vs whole \(whole)")
        }
    }

    static func decode(_ input: [UInt8], cutAt cuts: [Int]) throws(InvariantViolation) -> Outcome {
        var decoder = ChunkedBodyDecoder(limits: limits)
        var outcome = Outcome()
        var pending: [UInt8] = []
        var consumedTotal = 0
        var start = 0
        for end in cuts + [input.count] {
            pending += input[start..<end]
            start = end
            let result: (consumed: Int, isComplete: Bool)
            do throws(HTTPParseError) {
                result = try pending.withUnsafeBufferPointer { (bytes) throws(HTTPParseError) in try decoder.decode(bytes, into: &outcome.body) }
            } catch {
                try require([400, 413, 431].contains(error.status), "status \(error.status) for \(error.reason)")
                outcome.failureStatus = error.status
                return outcome
            }
            try require(result.consumed <= pending.count, "consumed \(result.consumed) of \(pending.count) bytes")
            try require(outcome.body.count <= limits.maxBodyBytes, "a body of \(outcome.body.count) bytes")
            consumedTotal += result.consumed
            pending.removeFirst(result.consumed)
            if result.isComplete {
                outcome.end = consumedTotal
                return outcome
            }
        }
        return outcome
    }
}
