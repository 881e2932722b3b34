import CLinuxIO

/// Readiness a descriptor is watched for, or was reported with (epoll's flags).
public struct IOEvents: OptionSet, Sendable {
    public let rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public static let readable = IOEvents(rawValue: EPOLLIN.rawValue)
    public static let writable = IOEvents(rawValue: EPOLLOUT.rawValue)
    /// Reported only: an error or hang-up on the descriptor.
    public static let failed = IOEvents(rawValue: EPOLLERR.rawValue | EPOLLHUP.rawValue)
    /// Registration only: of several loops watching one descriptor, wake just one (a shared
    /// listening socket). Cannot be modified afterwards, only removed and added again.
    public static let exclusive = IOEvents(rawValue: EPOLLEXCLUSIVE.rawValue)
}

/// Receives the readiness of a descriptor registered with an `EventLoop`, on that loop's thread.
public protocol IOHandler: AnyObject {
    func handle(_ events: IOEvents)
}
