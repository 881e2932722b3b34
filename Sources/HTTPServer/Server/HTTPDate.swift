import Glibc

/// The `Date` header line of the current second (RFC 9110 §6.6.1, IMF-fixdate), encoded once a
/// second per event loop rather than once a response.
struct HTTPDate {
    private(set) var headerLine: [UInt8] = []
    private var second: Int = -1

    mutating func refresh() {
        var now = time(nil)
        guard now != second else { return }
        second = now
        var parts = tm()
        gmtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 48)
        let length = strftime(&buffer, buffer.count, "Date: %a, %d %b %Y %H:%M:%S GMT\r\n", &parts)
        headerLine = buffer[..<length].map { UInt8(bitPattern: $0) }
    }
}
