import FoundationEssentials
import Glibc
import JSON
import Logging

/// One JSON object per line on standard output (`LOG_FORMAT=json`), for log collectors.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields: [String: String] = [
            "time": ISO8601Timestamp.string(from: Date()),
            "level": event.level.rawValue,
            "label": label,
            "message": "\(event.message)",
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            fields[key] = "\(value)"
        }
        var json = JSONWriter()
        json.beginObject()
        for key in fields.keys.sorted() {
            json.member(key, fields[key]!)
        }
        json.endObject()
        var line = json.bytes
        line.append(UInt8(ascii: "\n"))
        // One write per line: lines from different threads never interleave.
        line.withUnsafeBytes { _ = Glibc.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
    }
}
