import Foundation
import HTTPServer
import Testing

@Suite("What a stalled request costs the parser")
struct HTTPRequestParserMemoryTests {
    /// The process's private data mappings (`VmData`): what malloc has reserved, touched or not.
    /// A buffer reserved from `Content-Length` counts here in full even before any byte lands in
    /// it, which resident memory would not show.
    private static var reservedBytes: Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmData:") } ?? ""
        return (Int(line.split(separator: " ")[1]) ?? 0) * 1024
    }

    /// A client announcing a large body and sending 10 bytes costs those bytes, not the
    /// announced size: the body buffer grows as bytes arrive. Reserved up front, these 32
    /// requests would hold 2 GB; other tests starting threads meanwhile add some tens of MB.
    @Test func aContentLengthReservesNothingBeforeTheBodyArrives() {
        let announced = 64 << 20
        let limits = HTTPLimits(maxBodyBytes: announced)
        let before = Self.reservedBytes
        var stalled: [HTTPRequestParser] = []
        for _ in 0..<32 {
            var parser = HTTPRequestParser(limits: limits)
            #expect(parser.feed("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: \(announced)\r\n\r\n0123456789").isEmpty)
            #expect(parser.progress == .readingBody)
            stalled.append(parser)
        }
        let grown = Self.reservedBytes - before
        #expect(grown < 512 << 20, "32 stalled requests reserved \(grown) bytes")
        withExtendedLifetime(stalled) {}
    }
}
