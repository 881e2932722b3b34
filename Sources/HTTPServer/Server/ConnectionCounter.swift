import Synchronization

/// Open connections across all event loops, for `MAX_CONNECTIONS` and the metrics.
final class ConnectionCounter: Sendable {
    private let count = Atomic<Int>(0)

    var current: Int { count.load(ordering: .relaxed) }

    /// Counts a new connection unless `limit` are open already.
    func open(limit: Int) -> Bool {
        if count.add(1, ordering: .relaxed).newValue > limit {
            count.subtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    func closed() {
        count.subtract(1, ordering: .relaxed)
    }
}
