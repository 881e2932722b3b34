/// Size limits that bound what one request may make the server hold in memory.
public struct HTTPLimits: Sendable {
    /// The request line without its CRLF; longer is answered 414.
    public var maxRequestLineBytes: Int
    /// The whole header section (every field line and the empty line ending it, CRLFs included);
    /// larger is answered 431. Chunked trailer sections are bounded by the same number.
    public var maxHeaderBytes: Int
    /// Field lines in the header section (and, separately, in a chunked trailer section); more is 431.
    public var maxHeaderCount: Int
    /// The decoded body; larger is answered 413.
    public var maxBodyBytes: Int
    /// Chunk extension text summed over a chunked body (extensions are ignored but must not be
    /// a way to stream unbounded bytes); more is answered 400.
    public var maxChunkExtensionBytes: Int

    public init(
        maxRequestLineBytes: Int = 8192,
        maxHeaderBytes: Int = 16384,
        maxHeaderCount: Int = 100,
        maxBodyBytes: Int = 1_048_576,
        maxChunkExtensionBytes: Int = 4096
    ) {
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
        self.maxChunkExtensionBytes = maxChunkExtensionBytes
    }
}
