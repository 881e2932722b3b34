import CLibPQ
import Foundation

extension PostgresConnection {
    /// Notices, without a round trip, that the server closed this connection while it sat idle.
    ///
    /// A terminated backend or a server shutting down sends a FATAL message and closes the
    /// socket, which makes it readable; reading that input flips libpq's status to bad. A
    /// silently vanished peer (a network cut) is not detected here but on first use.
    func survivedIdling() -> Bool {
        guard let handle = try? usableHandle() else { return false }
        if SocketWait.wait(PQsocket(handle), until: .readable, deadline: .distantPast) {
            PQconsumeInput(handle)
        }
        return isOpen
    }

    /// `SELECT 1`, answered by `deadline` or counted as a failure. A connection that timed out
    /// has a statement in flight and is closed, so the pool replaces it.
    func ping(deadline: Date) -> Bool {
        guard let handle = try? usableHandle(), PQsendQuery(handle, "SELECT 1") == 1 else { return false }
        while PQisBusy(handle) == 1 {
            guard SocketWait.wait(PQsocket(handle), until: .readable, deadline: deadline), PQconsumeInput(handle) == 1 else {
                close()
                return false
            }
        }
        var answered = false
        while let result = PQgetResult(handle) {
            answered = PQresultStatus(result) == PGRES_TUPLES_OK
            PQclear(result)
        }
        return answered
    }
}
