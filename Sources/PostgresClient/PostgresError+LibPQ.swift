import CLibPQ
import FoundationEssentials

extension PostgresError {
    /// The error a failed `PGresult` reports. A result that arrives on a connection libpq already
    /// found broken is a connection failure, whatever its text.
    init(failed result: OpaquePointer, on handle: OpaquePointer) {
        guard PQstatus(handle) == CONNECTION_OK else {
            self = .connection(Self.trimmed(PQresultErrorMessage(result)))
            return
        }
        self = .query(
            sqlState: Self.field(CLIBPQ_DIAG_SQLSTATE, of: result) ?? "",
            message: Self.field(CLIBPQ_DIAG_MESSAGE_PRIMARY, of: result) ?? Self.trimmed(PQresultErrorMessage(result)),
            detail: Self.field(CLIBPQ_DIAG_MESSAGE_DETAIL, of: result),
            constraint: Self.field(CLIBPQ_DIAG_CONSTRAINT_NAME, of: result)
        )
    }

    /// What libpq says about a connection that failed to open or broke. libpq's connection
    /// messages name hosts and users, never passwords.
    static func connectionFailure(_ handle: OpaquePointer?) -> PostgresError {
        .connection(handle.map { trimmed(PQerrorMessage($0)) } ?? "out of memory")
    }

    static func field(_ code: Int32, of result: OpaquePointer) -> String? {
        PQresultErrorField(result, code).map { String(cString: $0) }
    }

    static func trimmed(_ message: UnsafePointer<CChar>?) -> String {
        var text = message.map { Substring(String(cString: $0)) } ?? ""
        while text.first?.isWhitespace == true { text.removeFirst() }
        while text.last?.isWhitespace == true { text.removeLast() }
        return text.isEmpty ? "unknown libpq error" : String(text)
    }
}
