import CLibCrypto

/// An OpenSSL BIGNUM holding a non-negative integer, freed with its owner.
final class BigNumber {
    let pointer: OpaquePointer

    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    /// The integer of big-endian `bytes`.
    convenience init(_ bytes: [UInt8]) {
        guard let pointer = BN_bin2bn(bytes, Int32(bytes.count), nil) else { fatalError("BN_bin2bn failed") }
        self.init(taking: pointer)
    }

    deinit {
        BN_free(pointer)
    }

    /// Big-endian bytes: the fewest that hold the value, or exactly `size` (left-padded with zeros).
    func bytes(paddedTo size: Int? = nil) -> [UInt8] {
        let count = size ?? (Int(BN_num_bits(pointer)) + 7) / 8
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initializedCount in
            guard BN_bn2binpad(pointer, buffer.baseAddress, Int32(count)) == count else {
                fatalError("BN_bn2binpad: the integer does not fit in \(count) bytes")
            }
            initializedCount = count
        }
    }
}
