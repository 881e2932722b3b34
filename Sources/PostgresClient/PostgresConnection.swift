import CLibPQ
import Foundation
import Logging

/// One PostgreSQL session over libpq.
///
/// Blocking: call it from worker threads, never from a socket event loop. Not thread-safe: one
/// thread at a time (a `PostgresPool` lends each connection to one caller).
///
/// ```swift
/// let result = try connection.query("SELECT id, email FROM users WHERE email = $1", [.text(email)])
/// for row in result.rows { print(try row.uuid("id"), try row.string("email")) }
/// ```
public final class PostgresConnection {
    /// Past this many distinct statements, new SQL runs unprepared, so SQL built at run time
    /// cannot grow the server's memory without bound.
    private static let preparedStatementLimit = 500

    private var handle: OpaquePointer?
    let logger: Logger
    /// Prepared statement names by SQL text.
    private var preparedStatements: [String: String] = [:]
    /// Statements prepared on the server, evicted ones included (they stay until the session ends).
    private var preparedStatementCount = 0
    /// Whether anything sent since `resetChangeTracking()` may have changed data for good;
    /// see `RetrySafety`.
    private(set) var mayHaveMadeLastingChange = false

    /// Opens a connection. `url` is a libpq URI (`postgresql://user@host:5432/db`) or
    /// keyword/value string (`host=... dbname=...`); `settings` override what it says about
    /// timeouts, time zone, date style, encoding and application name.
    public convenience init(
        url: String, settings: PostgresConnectionSettings = .init(), logger: Logger = Logger(label: "PostgresClient")
    ) throws(PostgresError) {
        try self.init(url: url, settings: settings, logger: logger, connectDeadline: Date() + settings.connectTimeout)
    }

    init(url: String, settings: PostgresConnectionSettings, logger: Logger, connectDeadline: Date) throws(PostgresError) {
        let parameters = try ConnectionParameters.make(url: url, settings: settings)
        let handle = try ConnectionOpener.open(parameters, deadline: connectDeadline)
        self.handle = handle
        self.logger = logger
        // Without a receiver libpq prints server notices to stderr, past the logging setup.
        PQsetNoticeReceiver(handle, { context, notice in
            guard let context, let notice else { return }
            let connection = Unmanaged<PostgresConnection>.fromOpaque(context).takeUnretainedValue()
            connection.log(notice: notice)
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit {
        close()
    }

    /// Ends the session. Idempotent.
    public func close() {
        guard let handle else { return }
        PQfinish(handle)
        self.handle = nil
    }

    /// False once closed or broken. A broken connection never recovers: open a new one.
    public var isOpen: Bool {
        handle.map { PQstatus($0) == CONNECTION_OK } ?? false
    }

    /// Runs one statement with `$1`, `$2`, ... parameters, prepared once per connection and
    /// reused by SQL text. A statement error leaves the connection usable.
    @discardableResult
    public func query(_ sql: String, _ parameters: [PostgresValue] = []) throws(PostgresError) -> PostgresResult {
        let handle = try usableHandle()
        let texts = try Self.parameterTexts(parameters)
        let name = try preparedStatementName(for: sql, on: handle)
        let cStrings = texts.map { $0.flatMap { strdup($0) } }
        defer { cStrings.forEach { free($0) } }
        let values = cStrings.map { UnsafePointer($0) }

        noteSending(sql, on: handle)
        let result = if let name {
            PQexecPrepared(handle, name, Int32(values.count), values, nil, nil, 0)
        } else {
            PQexecParams(handle, sql, Int32(values.count), nil, values, nil, nil, 0)
        }
        do throws(PostgresError) {
            return try consume(result, on: handle)
        } catch {
            // "cached plan must not change result type": a migration changed a table under a
            // prepared `SELECT *`. Prepare afresh next time instead of failing forever.
            if error.sqlState == "0A000" { preparedStatements[sql] = nil }
            throw error
        }
    }

    /// Runs SQL without parameters through the simple protocol, which allows several statements
    /// in one string (migrations) and transaction control. Returns the last statement's result.
    @discardableResult
    public func execute(_ sql: String) throws(PostgresError) -> PostgresResult {
        let handle = try usableHandle()
        noteSending(sql, on: handle)
        return try consume(PQexec(handle, sql), on: handle)
    }

    var isInsideTransactionBlock: Bool {
        guard let handle else { return false }
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR
    }

    var isTransactionAborted: Bool {
        handle.map { PQtransactionStatus($0) == PQTRANS_INERROR } ?? false
    }

    func resetChangeTracking() {
        mayHaveMadeLastingChange = false
    }

    /// The live libpq handle, for the liveness checks.
    func usableHandle() throws(PostgresError) -> OpaquePointer {
        guard let handle else { throw .closed }
        guard PQstatus(handle) == CONNECTION_OK else { throw .connection(Self.trimmed(PQerrorMessage(handle))) }
        return handle
    }

    private func noteSending(_ sql: String, on handle: OpaquePointer) {
        if RetrySafety.mayMakeLastingChange(sql, insideTransactionBlock: isInsideTransactionBlock) {
            mayHaveMadeLastingChange = true
        }
    }

    /// nil once the cache is full: the statement then runs unnamed.
    private func preparedStatementName(for sql: String, on handle: OpaquePointer) throws(PostgresError) -> String? {
        if let name = preparedStatements[sql] { return name }
        guard preparedStatementCount < Self.preparedStatementLimit else { return nil }
        let name = "s\(preparedStatementCount)"
        try consume(PQprepare(handle, name, sql, 0, nil), on: handle)
        preparedStatementCount += 1
        preparedStatements[sql] = name
        return name
    }

    /// Copies the result out, frees it, and turns failures into `PostgresError`.
    @discardableResult
    private func consume(_ result: OpaquePointer?, on handle: OpaquePointer) throws(PostgresError) -> PostgresResult {
        guard let result else { throw .connection(Self.trimmed(PQerrorMessage(handle))) }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        switch status {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return PostgresResult(copying: result)
        case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR, PGRES_BAD_RESPONSE:
            guard PQstatus(handle) == CONNECTION_OK else {
                throw .connection(Self.trimmed(PQresultErrorMessage(result)))
            }
            throw .query(
                sqlState: Self.field(CLIBPQ_DIAG_SQLSTATE, of: result) ?? "",
                message: Self.field(CLIBPQ_DIAG_MESSAGE_PRIMARY, of: result) ?? Self.trimmed(PQresultErrorMessage(result)),
                detail: Self.field(CLIBPQ_DIAG_MESSAGE_DETAIL, of: result),
                constraint: Self.field(CLIBPQ_DIAG_CONSTRAINT_NAME, of: result)
            )
        default:
            // COPY and pipeline modes need protocol this client does not speak, and leave the
            // session in a state it cannot leave cleanly.
            close()
            throw .connection("unsupported result status \(String(cString: PQresStatus(status)))")
        }
    }

    private static func parameterTexts(_ parameters: [PostgresValue]) throws(PostgresError) -> [String?] {
        var texts: [String?] = []
        for (index, parameter) in parameters.enumerated() {
            let text = parameter.textFormat
            // A C string would silently end at the NUL; PostgreSQL text cannot hold one anyway.
            if text?.utf8.contains(0) == true {
                throw .query(sqlState: "22021", message: "parameter $\(index + 1) contains a NUL character", detail: nil, constraint: nil)
            }
            texts.append(text)
        }
        return texts
    }

    private static func field(_ code: Int32, of result: OpaquePointer) -> String? {
        PQresultErrorField(result, code).map { String(cString: $0) }
    }

    static func trimmed(_ message: UnsafePointer<CChar>?) -> String {
        message.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "unknown libpq error"
    }

    /// Warnings and errors reported outside a statement (a backend being terminated) are worth
    /// an operator's attention; NOTICEs (`relation already exists, skipping`) are not.
    private func log(notice: OpaquePointer) {
        let severity = Self.field(CLIBPQ_DIAG_SEVERITY, of: notice) ?? "NOTICE"
        let message = Self.field(CLIBPQ_DIAG_MESSAGE_PRIMARY, of: notice) ?? ""
        let level: Logger.Level = ["WARNING", "ERROR", "FATAL", "PANIC"].contains(severity) ? .warning : .debug
        logger.log(level: level, "PostgreSQL \(severity): \(message)")
    }
}
