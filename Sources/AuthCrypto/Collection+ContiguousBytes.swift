extension Collection<UInt8> {
    /// Runs `body` over the bytes as one contiguous buffer; copies only a collection that has no
    /// contiguous storage (arrays, slices and native strings' UTF-8 views pass straight through).
    func withContiguousBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        if let result = try withContiguousStorageIfAvailable({ try body(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return try Array(self).withUnsafeBytes(body)
    }
}
