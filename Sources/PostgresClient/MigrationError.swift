/// Why migrations could not be read or applied. Each names the file concerned.
public enum MigrationError: Error, CustomStringConvertible, Sendable {
    case unreadableDirectory(String)
    /// A `.sql` file not named `NNNN_name.sql`, or not UTF-8 text.
    case invalidFile(String, reason: String)
    case duplicateVersion(Int, files: [String])
    /// An applied migration's file changed since; fix the file, never the database record.
    case checksumMismatch(file: String)
    case failed(file: String, PostgresError)

    public var description: String {
        switch self {
        case .unreadableDirectory(let directory):
            return "cannot read the migrations directory \(directory)"
        case .invalidFile(let file, let reason):
            return "migration \(file): \(reason)"
        case .duplicateVersion(let version, let files):
            return "migration version \(version) is used by several files: \(files.joined(separator: ", "))"
        case .checksumMismatch(let file):
            return "migration \(file) was changed after it was applied (its SHA-256 differs from the one recorded); add a new migration instead"
        case .failed(let file, let error):
            return "migration \(file) failed: \(error)"
        }
    }
}
