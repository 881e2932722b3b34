/// bcrypt's key: the password's bytes and a terminating NUL, cycled to fill the 18 words of the
/// P-array. That is 72 bytes, so a longer password is cut at 72 (OpenBSD's `$2b$` and
/// crypt_blowfish alike) and its NUL is never reached.
///
/// The C implementations stop at a password's first NUL; here every byte counts (as in
/// pyca/bcrypt), which matches them for every password without NUL, the only kind the API accepts.
enum BCryptKey {
    static let wordCount = 18

    /// Writes the 18 key words to `words` and returns the word to XOR into P[0] once, at setup.
    ///
    /// That word is zero except for `$2a$` when crypt_blowfish's countermeasure applies: a
    /// password whose 8-bit bytes would give the same key under the `$2x$` sign-extension bug
    /// gets bit 16 flipped, so no `$2x$` password collides with it (crypt_blowfish BF_set_key).
    static func expand(_ password: UnsafeRawBufferPointer, variant: BCryptVariant, into words: UnsafeMutablePointer<UInt32>) -> UInt32 {
        let keyLength = min(password.count, wordCount * 4) + 1
        var position = 0
        var signExtensionSeen: UInt32 = 0
        var difference: UInt32 = 0
        for index in 0..<wordCount {
            var correct: UInt32 = 0
            var signExtended: UInt32 = 0
            for byteIndex in 0..<4 {
                let byte = position < keyLength - 1 ? password[position] : 0
                position = position + 1 == keyLength ? 0 : position + 1
                correct = correct << 8 | UInt32(byte)
                signExtended = signExtended << 8 | UInt32(bitPattern: Int32(Int8(bitPattern: byte)))
                // Sign extension of a word's first byte is shifted out; of later bytes it is not.
                if byteIndex > 0 { signExtensionSeen |= signExtended & 0x80 }
            }
            difference |= correct ^ signExtended
            words[index] = correct
        }
        guard variant == .a else { return 0 }
        // Bit 16 set iff the buggy and correct keys differ somewhere (crypt_blowfish's arithmetic).
        difference |= difference >> 16
        difference &= 0xFFFF
        difference += 0xFFFF
        return (signExtensionSeen << 9) & ~difference & 0x10000
    }
}
