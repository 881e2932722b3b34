/// Finds the end of a CRLF-terminated line in bytes that arrive piecemeal, remembering how far
/// it has searched so that each byte is looked at once however the input is split.
struct HTTPLineScanner {
    /// Bytes of the pending line already searched for LF.
    private var searchedCount = 0

    /// The length of the line at the start of `bytes` without its CRLF, or nil while its LF has
    /// not arrived. `bytes` must start where the previous line ended.
    ///
    /// A line longer than `maxLength` throws `tooLong` once `maxLength + 2` bytes have arrived
    /// without an LF, whatever comes next: the same error at the same byte however the input is
    /// split (a bare LF past the limit is the same 414 or 431 whether or not it has arrived).
    mutating func lineLength(
        in bytes: UnsafeBufferPointer<UInt8>, maxLength: Int, tooLong: HTTPParseError
    ) throws(HTTPParseError) -> Int? {
        // The LF of a line within the limit is at most at index maxLength + 1.
        let room = max(maxLength + 2, 0)
        var index = searchedCount
        while index < min(bytes.count, room) {
            if bytes[index] == HTTPSyntax.lf {
                searchedCount = 0
                // RFC 9112 §2.2: a bare LF may be rejected; accepting it invites request smuggling.
                guard index > 0, bytes[index - 1] == HTTPSyntax.cr else { throw .badRequest("bare LF") }
                return index - 1
            }
            index += 1
        }
        if index == room { throw tooLong }
        searchedCount = index
        return nil
    }
}
