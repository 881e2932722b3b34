/// Why a request could not be parsed, with the status to answer before closing the connection.
public struct HTTPParseError: Error, Sendable, Equatable {
    public var status: Int
    public var reason: String

    public init(status: Int, reason: String) {
        self.status = status
        self.reason = reason
    }

    static func badRequest(_ reason: String) -> HTTPParseError {
        HTTPParseError(status: 400, reason: reason)
    }

    static func expectationFailed(_ reason: String) -> HTTPParseError {
        HTTPParseError(status: 417, reason: reason)
    }

    static func contentTooLarge(_ reason: String) -> HTTPParseError {
        HTTPParseError(status: 413, reason: reason)
    }

    static func uriTooLong(_ reason: String) -> HTTPParseError {
        HTTPParseError(status: 414, reason: reason)
    }

    static func headerFieldsTooLarge(_ reason: String) -> HTTPParseError {
        HTTPParseError(status: 431, reason: reason)
    }

    static func notImplemented(_ reason: String) -> HTTPParseError {
        HTTPParseError(status: 501, reason: reason)
    }

    static func versionNotSupported(_ reason: String) -> HTTPParseError {
        HTTPParseError(status: 505, reason: reason)
    }
}
