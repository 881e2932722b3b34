import Foundation

/// ISO 8601 UTC timestamps with milliseconds, as every time in the API is written.
public enum ISO8601Timestamp {
    public static func string(from date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
