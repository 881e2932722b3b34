import Reactor

/// Open connections across all event loops: the `maxConnections` cap, the per-client cap, and
/// the count that graceful shutdown waits to fall to zero.
final class ConnectionLimiter: Sendable {
    private struct Counts {
        var total = 0
        var perClient: [IPAddress: Int] = [:]
    }

    private let counts = Monitor(Counts())
    private let maxTotal: Int
    private let maxPerClient: Int
    private let isExempt: @Sendable (IPAddress) -> Bool

    init(configuration: HTTPServerConfiguration) {
        maxTotal = configuration.maxConnections
        maxPerClient = configuration.maxConnectionsPerClient
        isExempt = configuration.isExemptFromClientLimit
    }

    var current: Int { counts.withLock { $0.total } }

    /// Counts a new connection from `peer`, or refuses it when either cap is reached.
    func open(from peer: IPAddress) -> Bool {
        let exempt = isExempt(peer)
        let client = peer.client
        return counts.withLock { counts in
            guard counts.total < maxTotal else { return false }
            if !exempt {
                let held = counts.perClient[client, default: 0]
                guard held < maxPerClient else { return false }
                counts.perClient[client] = held + 1
            }
            counts.total += 1
            return true
        }
    }

    func closed(from peer: IPAddress) {
        let exempt = isExempt(peer)
        let client = peer.client
        let drained = counts.withLock { counts in
            counts.total -= 1
            if !exempt {
                let held = counts.perClient[client, default: 1] - 1
                counts.perClient[client] = held == 0 ? nil : held
            }
            return counts.total == 0
        }
        if drained { counts.broadcast() }
    }

    /// Waits until no connection is open or `deadline` (monotonic nanoseconds) passes; true when none is.
    func waitUntilDrained(deadline: UInt64) -> Bool {
        counts.withLock(when: { $0.total == 0 }, deadline: deadline) { counts, _ in counts.total == 0 }
    }
}
