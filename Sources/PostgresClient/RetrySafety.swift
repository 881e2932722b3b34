import Foundation

/// Judges whether a statement can have made a lasting change, so that the pool knows when
/// running a body again after a lost connection cannot apply anything twice.
///
/// Inside a transaction block nothing lasts until COMMIT (or END, or PREPARE TRANSACTION).
/// Outside one, a statement counts as a read when it starts with SELECT, SHOW, VALUES, BEGIN,
/// START or ROLLBACK: a SELECT that calls a writing function is thereby taken for a read, so run
/// such calls inside a transaction. Several statements in one string never count as reads.
enum RetrySafety {
    private static let readKeywords: Set<String> = ["SELECT", "SHOW", "VALUES", "BEGIN", "START", "ROLLBACK"]
    private static let commitKeywords: Set<String> = ["COMMIT", "END", "PREPARE"]

    static func mayMakeLastingChange(_ sql: String, insideTransactionBlock: Bool) -> Bool {
        let statement = sql.trimmingCharacters(in: .whitespacesAndNewlines)
        if statement.dropLast(statement.hasSuffix(";") ? 1 : 0).contains(";") { return true }
        let keyword = String(statement.prefix { $0.isLetter }).uppercased()
        return insideTransactionBlock ? commitKeywords.contains(keyword) : !readKeywords.contains(keyword)
    }
}
