import CLibPQ
import Glibc

/// A libpq URI or keyword string turned into libpq keywords with this client's settings enforced.
struct ConnectionParameters: Sendable {
    /// Server settings every session gets: decoding relies on UTC and ISO output.
    private static let sessionOptions = ["TimeZone=UTC", "DateStyle=ISO"]

    let keywords: [String]
    let values: [String]

    init(url: String, settings: PostgresConnectionSettings) throws(PostgresError) {
        var parameters = try Self.parse(url)
        Self.set(&parameters, "client_encoding", "UTF8")
        Self.set(&parameters, "application_name", settings.applicationName)
        // Appended to the caller's own `options` (a search_path, say) rather than replacing them.
        let statementTimeout = "statement_timeout=\(Int((settings.statementTimeout * 1000).rounded()))"
        let enforced = (Self.sessionOptions + [statementTimeout]).map { "-c \($0)" }
        let existing = parameters.first { $0.keyword == "options" }?.value
        Self.set(&parameters, "options", ([existing].compactMap { $0 } + enforced).joined(separator: " "))
        keywords = parameters.map(\.keyword)
        values = parameters.map(\.value)
    }

    /// Starts a non-blocking connection attempt (`PQconnectStartParams`); nil when out of memory.
    func connectStart() -> OpaquePointer? {
        let keywordPointers = keywords.map { strdup($0) }
        let valuePointers = values.map { strdup($0) }
        defer { (keywordPointers + valuePointers).forEach { free($0) } }
        return PQconnectStartParams(
            (keywordPointers + [nil]).map { UnsafePointer($0) }, (valuePointers + [nil]).map { UnsafePointer($0) }, 0
        )
    }

    /// libpq's own parser, so URIs, keyword strings and their escaping behave exactly as in psql.
    private static func parse(_ url: String) throws(PostgresError) -> [(keyword: String, value: String)] {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(url, &errorMessage) else {
            // libpq's message quotes the offending part of the string, which may hold a password.
            if let errorMessage { PQfreemem(errorMessage) }
            throw .connection("the database URL is not a valid libpq URI or keyword/value string")
        }
        defer { PQconninfoFree(options) }
        var parameters: [(keyword: String, value: String)] = []
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                parameters.append((String(cString: keyword), String(cString: value)))
            }
            option += 1
        }
        return parameters
    }

    private static func set(_ parameters: inout [(keyword: String, value: String)], _ keyword: String, _ value: String) {
        parameters.removeAll { $0.keyword == keyword }
        parameters.append((keyword, value))
    }
}
