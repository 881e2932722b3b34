import CLibCurl
import FoundationEssentials

/// Gathers an HTTP response's header lines and body through libcurl's header and write
/// callbacks, and stops the transfer once more than `limit` bytes arrived.
final class ResponseCollector {
    private let limit: Int
    private var received = 0
    /// The final response's headers only: a status line (after `100 Continue`) starts afresh.
    private(set) var headers: [(name: String, value: String)] = []
    private(set) var body: [UInt8] = []
    private(set) var exceededLimit = false

    init(limit: Int) {
        self.limit = limit
    }

    /// false stops the transfer.
    fileprivate func accept(headerLine line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard count(line.count) else { return false }
        if line.starts(with: "HTTP/".utf8) {
            headers.removeAll()
        } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            let name = String(decoding: line[..<colon], as: UTF8.self)
            let value = String(decoding: line[(colon + 1)...].trimmingWhitespace(), as: UTF8.self)
            headers.append((name, value))
        }
        return true
    }

    fileprivate func accept(body chunk: UnsafeBufferPointer<UInt8>) -> Bool {
        guard count(chunk.count) else { return false }
        body.append(contentsOf: chunk)
        return true
    }

    private func count(_ bytes: Int) -> Bool {
        received += bytes
        exceededLimit = received > limit
        return !exceededLimit
    }
}

extension CurlEasy {
    /// Collects the response into a new collector, within `limit` bytes of headers and body.
    func collectResponse(limit: Int) -> ResponseCollector {
        let collector = ResponseCollector(limit: limit)
        // Refuses at once a response whose Content-Length is already too large.
        set(CURLOPT_MAXFILESIZE_LARGE, offset: Int64(limit))
        set(CURLOPT_HEADERDATA, context: collector)
        set(CURLOPT_HEADERFUNCTION) { data, size, count, context in
            guard let data, let context else { return 0 }
            let line = UnsafeBufferPointer(start: UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: size * count)
            // Returning fewer bytes than given makes libcurl abort with CURLE_WRITE_ERROR.
            return Unmanaged<ResponseCollector>.fromOpaque(context).takeUnretainedValue().accept(headerLine: line) ? size * count : 0
        }
        set(CURLOPT_WRITEDATA, context: collector)
        set(CURLOPT_WRITEFUNCTION) { data, size, count, context in
            guard let data, let context else { return 0 }
            let chunk = UnsafeBufferPointer(start: UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: size * count)
            return Unmanaged<ResponseCollector>.fromOpaque(context).takeUnretainedValue().accept(body: chunk) ? size * count : 0
        }
        return collector
    }
}

private extension Slice<UnsafeBufferPointer<UInt8>> {
    /// Without the spaces, tabs and line ends around a header value.
    func trimmingWhitespace() -> Self {
        let isWhitespace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
        let start = firstIndex { !isWhitespace($0) } ?? endIndex
        let end = lastIndex { !isWhitespace($0) }.map { index(after: $0) } ?? start
        return self[start..<Swift.max(start, end)]
    }
}
