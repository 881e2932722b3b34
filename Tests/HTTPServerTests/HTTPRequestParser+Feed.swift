import HTTPServer

extension HTTPRequestParser {
    /// Appends `bytes` and collects every event they allow.
    mutating func feed(_ bytes: [UInt8]) -> [HTTPParseEvent] {
        bytes.withUnsafeBytes { append($0) }
        var events: [HTTPParseEvent] = []
        while let event = next() {
            events.append(event)
        }
        return events
    }

    mutating func feed(_ text: String) -> [HTTPParseEvent] {
        feed(Array(text.utf8))
    }

    /// Every event of `bytes` delivered in pieces ending at `cuts` (ascending offsets).
    static func events(of bytes: [UInt8], cutAt cuts: [Int], limits: HTTPLimits = HTTPLimits()) -> [HTTPParseEvent] {
        var parser = HTTPRequestParser(limits: limits)
        var events: [HTTPParseEvent] = []
        var start = 0
        for end in cuts + [bytes.count] where end >= start {
            events += parser.feed(Array(bytes[start..<end]))
            start = end
        }
        return events
    }

    /// Every event of `bytes` delivered one byte at a time.
    static func eventsByteByByte(of bytes: [UInt8], limits: HTTPLimits = HTTPLimits()) -> [HTTPParseEvent] {
        events(of: bytes, cutAt: Array(bytes.indices.dropFirst()), limits: limits)
    }
}

extension [HTTPParseEvent] {
    /// The statuses of the failures among these events.
    var failureStatuses: [Int] {
        compactMap { event in
            if case .failure(let error) = event { return error.status }
            return nil
        }
    }
}
