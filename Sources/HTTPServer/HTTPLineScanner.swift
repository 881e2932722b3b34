/// Finds the end of a CRLF-terminated line in bytes that arrive piecemeal, remembering how far
/// it has searched so that each byte is looked at once however the input is split.
struct HTTPLineScanner {
    /// Bytes of the pending line already searched for LF.
    private var searchedCount = 0

    /// The length of the line at the start of `bytes` without its CRLF, or nil while its LF has
    /// not arrived. `bytes` must start where the previous line ended.
    mutating func lineLength(in bytes: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> Int? {
        var index = searchedCount
        while index < bytes.count {
            if bytes[index] == HTTPSyntax.lf {
                searchedCount = 0
                // RFC 9112 §2.2: a bare LF may be rejected; accepting it invites request smuggling.
                guard index > 0, bytes[index - 1] == HTTPSyntax.cr else { throw .badRequest("bare LF") }
                return index - 1
            }
            index += 1
        }
        searchedCount = index
        return nil
    }
}
