import Glibc

/// ThreadSanitizer's happens-before annotations, found at run time: they exist only in a
/// `-sanitize=thread` build (`make test-sanitize`), and cost one untaken branch elsewhere.
///
/// Synchronization.Mutex locks inside the uninstrumented standard library, so ThreadSanitizer
/// cannot see that a job handed over under one is ordered after everything its sender did:
/// the event loop says so itself (scripts/sanitizers/tsan.supp covers the other mutexes).
enum ThreadSanitizer {
    private typealias Annotation = @convention(c) (UnsafeRawPointer?) -> Void

    private static let acquireAnnotation = annotation("__tsan_acquire")
    private static let releaseAnnotation = annotation("__tsan_release")

    /// What the thread does next is ordered after every `release` of `address` before it.
    static func acquire(_ address: UnsafeRawPointer) {
        acquireAnnotation?(address)
    }

    static func release(_ address: UnsafeRawPointer) {
        releaseAnnotation?(address)
    }

    private static func annotation(_ name: String) -> Annotation? {
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), name).map { unsafeBitCast($0, to: Annotation.self) }
    }
}
