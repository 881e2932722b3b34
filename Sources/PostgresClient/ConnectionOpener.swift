import CLibPQ
import Foundation

/// Opens a libpq connection within a deadline.
///
/// libpq's own `connect_timeout` counts whole seconds (at least 2) per host attempt; driving
/// `PQconnectPoll` ourselves bounds the whole attempt precisely, which `PostgresPool.ping`
/// needs to answer in time while the server is unreachable.
enum ConnectionOpener {
    static func open(_ parameters: [(keyword: String, value: String)], deadline: Date) throws(PostgresError) -> OpaquePointer {
        let keywords = parameters.map { strdup($0.keyword) }
        let values = parameters.map { strdup($0.value) }
        defer { (keywords + values).forEach { free($0) } }
        let handle = PQconnectStartParams(
            (keywords + [nil]).map { UnsafePointer($0) }, (values + [nil]).map { UnsafePointer($0) }, 0
        )
        guard let handle else { throw .connection("out of memory") }

        var state = PGRES_POLLING_WRITING
        while PQstatus(handle) != CONNECTION_BAD {
            switch state {
            case PGRES_POLLING_OK:
                return handle
            case PGRES_POLLING_READING, PGRES_POLLING_WRITING:
                let readiness: SocketWait.Readiness = state == PGRES_POLLING_READING ? .readable : .writable
                guard SocketWait.wait(PQsocket(handle), until: readiness, deadline: deadline) else {
                    PQfinish(handle)
                    throw .connection("timed out connecting to the server")
                }
            default:
                break
            }
            state = PQconnectPoll(handle)
            if state == PGRES_POLLING_FAILED { break }
        }
        let message = PostgresConnection.trimmed(PQerrorMessage(handle))
        PQfinish(handle)
        throw .connection(message)
    }
}
