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

    /// Byte-level, as it runs before every statement.
    static func mayMakeLastingChange(_ sql: String, insideTransactionBlock: Bool) -> Bool {
        let bytes = sql.utf8
        let isSpace = { (byte: UInt8) in byte == 0x20 || (0x09...0x0D).contains(byte) }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else {
            return false
        }
        let statementEnd = bytes[last] == UInt8(ascii: ";") ? last : bytes.index(after: last)
        if bytes[first..<statementEnd].contains(UInt8(ascii: ";")) { return true }
        let keywordBytes = bytes[first...].prefix { (0x61...0x7A).contains($0 | 0x20) }
        let keyword = String(decoding: keywordBytes.map { $0 & 0xDF }, as: UTF8.self)
        return insideTransactionBlock ? commitKeywords.contains(keyword) : !readKeywords.contains(keyword)
    }
}
