/// Whether a step of a route (a middleware or the handler) may wait, as the step itself states.
///
/// Every request runs as a task on the event loop that owns its connection. Waiting never
/// blocks that loop's thread: the task suspends until the database, a bcrypt thread or an
/// outbound call answers, and the loop serves other connections meanwhile. What the statement
/// buys is a guarantee for the routes that must answer whatever else is slow (health checks,
/// metrics): a route that requires `.inline` is refused at start when any step of its chain waits.
public enum Execution: Sendable, Comparable, CustomStringConvertible {
    /// Finishes without waiting for anything outside the process (no database, no bcrypt, no
    /// outbound call). An inline handler is a synchronous function, so the compiler holds it to that.
    case inline
    /// May wait for the database, bcrypt or an outbound call.
    case waits

    public var description: String {
        switch self {
        case .inline: "inline"
        case .waits: "waits"
        }
    }
}
