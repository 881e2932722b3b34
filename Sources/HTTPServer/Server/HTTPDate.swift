import Glibc

/// The IMF-fixdate of the current second for the `Date` header (RFC 9110 §5.6.7), formatted
/// once a second per event loop rather than once a response.
struct HTTPDate {
    private(set) var value = ""
    private var second: Int = -1

    mutating func refresh() {
        var now = time(nil)
        guard now != second else { return }
        second = now
        var parts = tm()
        gmtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 40)
        strftime(&buffer, buffer.count, "%a, %d %b %Y %H:%M:%S GMT", &parts)
        value = String(cString: buffer)
    }
}
