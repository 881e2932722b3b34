import CLibCrypto

/// OpenSSL memory BIOs: the in-memory files its PEM reader and writer work on.
enum MemoryBIO {
    /// Runs `body` on a read-only BIO over the UTF-8 of `text` (at most `EVPKey.maximumPEMLength` bytes).
    static func reading<Result>(_ text: String, _ body: (OpaquePointer) -> Result) -> Result {
        var text = text
        return text.withUTF8 { bytes in
            guard let bio = BIO_new_mem_buf(bytes.baseAddress, Int32(bytes.count)) else { fatalError("BIO_new_mem_buf failed") }
            defer { BIO_free(bio) }
            return body(bio)
        }
    }

    /// The text that `write` puts into a fresh memory BIO. Writing a key we hold cannot fail
    /// short of memory exhaustion, so failure stops the process.
    static func written(_ write: (OpaquePointer) -> Int32) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { fatalError("BIO_new failed") }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else { fatalError("writing PEM failed: \(OpenSSLErrorQueue.drain())") }
        let count = BIO_ctrl_pending(bio)
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initializedCount in
            initializedCount = Int(BIO_read(bio, buffer.baseAddress, Int32(count)))
        }
        guard bytes.count == count else { fatalError("reading a memory BIO failed") }
        return String(decoding: bytes, as: UTF8.self)
    }
}
