/// How long a message waits after a transient failure: `base` after the first attempt, doubling
/// with each one, at most an hour, spread by ±10% so that messages that failed together (an SMTP
/// outage) do not all come back at the same instant.
struct RetrySchedule: Sendable {
    static let longestWait: Double = 3600

    let base: Double

    /// `attempts`: how many were made, the failed one included. `spread` in [-1, 1].
    func delay(afterAttempts attempts: Int, spread: Double = Double.random(in: -1...1)) -> Double {
        let doubled = base * Double(1 << min(max(attempts - 1, 0), 30))
        return min(doubled, Self.longestWait) * (1 + 0.1 * spread)
    }
}
