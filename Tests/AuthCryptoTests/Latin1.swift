/// The bytes of a string whose every scalar is below U+0100, one byte per scalar: lets test
/// vectors spell arbitrary bytes as "\u{FF}\u{A3}345", the way their C and Python sources do.
func latin1(_ text: String) -> [UInt8] {
    text.unicodeScalars.map { scalar in
        precondition(scalar.value < 0x100, "latin1: \(scalar) is not a byte")
        return UInt8(scalar.value)
    }
}
