import Glibc

/// A secret written where only its owner can read it: created with mode 0600 from the start
/// (never chmod-ed after being readable), and never over an existing file unless asked.
enum KeyFile {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func write(_ text: String, to path: String, replacing: Bool) throws {
        guard replacing else {
            try create(path, text, refusing: "\(path) already exists; choose another path or pass --force to replace it")
            return
        }
        // Written beside the target, then renamed over it: rename(2) replaces atomically.
        let temporary = "\(path).tmp-\(getpid())"
        try create(temporary, text, refusing: "\(temporary) already exists; remove it")
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw Failure(description: "cannot replace \(path): \(reason)")
        }
    }

    private static func create(_ path: String, _ text: String, refusing existing: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            throw Failure(description: errno == EEXIST ? existing : "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        let bytes = Array(text.utf8)
        // A few kilobytes to a regular file: one write, or a failure (a full disk) with errno set.
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) } == bytes.count
        let failure = written && fsync(descriptor) == 0 ? nil : errno
        close(descriptor)
        if let failure {
            unlink(path)
            throw Failure(description: "cannot write \(path): \(String(cString: strerror(failure)))")
        }
    }
}
