import FoundationEssentials

/// One `NNNN_name.sql` file of a migrations directory.
struct MigrationFile {
    let version: Int
    /// The file name, as recorded in `schema_migrations.name` and named in errors.
    let name: String
    let bytes: [UInt8]
    let sql: String

    /// The directory's `.sql` files, by version. Other files (a README) are ignored.
    static func load(from directory: String) throws(MigrationError) -> [MigrationFile] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw .unreadableDirectory(directory)
        }
        var files: [MigrationFile] = []
        for name in names where name.hasSuffix(".sql") {
            files.append(try load(name, in: directory))
        }
        files.sort { $0.version < $1.version }
        for (previous, next) in zip(files, files.dropFirst()) where previous.version == next.version {
            throw .duplicateVersion(next.version, files: [previous.name, next.name])
        }
        return files
    }

    private static func load(_ name: String, in directory: String) throws(MigrationError) -> MigrationFile {
        let prefix = name.prefix { $0 != "_" }
        guard let version = Int(prefix), prefix.allSatisfy({ $0.isASCII && $0.isNumber }), name.count > prefix.count + ".sql".count + 1 else {
            throw .invalidFile(name, reason: "the name must be NNNN_description.sql")
        }
        guard let data = FileManager.default.contents(atPath: directory.hasSuffix("/") ? directory + name : directory + "/" + name) else {
            throw .invalidFile(name, reason: "cannot be read")
        }
        let bytes = [UInt8](data)
        guard let sql = String(validating: bytes, as: UTF8.self) else {
            throw .invalidFile(name, reason: "is not UTF-8 text")
        }
        return MigrationFile(version: version, name: name, bytes: bytes, sql: sql)
    }
}
