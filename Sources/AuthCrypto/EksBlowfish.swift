import CLibCrypto

/// bcrypt's expensive key schedule and digest (Provos & Mazières, USENIX 1999), with OpenSSL's
/// BF_encrypt as the Blowfish block function, following crypt_blowfish's BF_crypt step for step.
///
/// All state lives in one manually allocated block, wiped afterwards: no allocation, reference
/// counting or bounds check runs inside the 2^cost loop, whose cost is ~1,000 block encryptions
/// per round.
enum EksBlowfish {
    /// Word offsets in the workspace. The Blowfish state comes first and has BF_KEY's layout
    /// (P[18] then S[4][256]), so BF_encrypt reads it in place.
    private enum Layout {
        static let stateWords = 18 + 4 * 256
        static let key = stateWords
        static let salt = key + BCryptKey.wordCount
        static let block = salt + BCryptKey.wordCount
        static let totalWords = block + 2
    }

    /// "OrpheanBeholderScryDoubt" as big-endian words: the plaintext bcrypt encrypts 64 times.
    private static let magic: [UInt32] = [0x4F72_7068, 0x6561_6E42, 0x6568_6F6C, 0x6465_7253, 0x6372_7944, 0x6F75_6274]

    /// The 24-byte ciphertext; bcrypt strings keep its first 23 bytes.
    static func digest(password: UnsafeRawBufferPointer, setting: BCryptSetting) -> [UInt8] {
        let workspace = UnsafeMutablePointer<UInt32>.allocate(capacity: Layout.totalWords)
        defer {
            OPENSSL_cleanse(workspace, Layout.totalWords * MemoryLayout<UInt32>.size)
            workspace.deallocate()
        }
        let state = workspace
        let blowfishKey = UnsafeRawPointer(state).assumingMemoryBound(to: BF_KEY.self)
        let keyWords = workspace + Layout.key
        let saltWords = workspace + Layout.salt
        let block = workspace + Layout.block

        blowfishInitialState.withUnsafeBufferPointer { state.initialize(from: $0.baseAddress!, count: Layout.stateWords) }
        let setupFlip = BCryptKey.expand(password, variant: setting.variant, into: keyWords)
        for index in 0..<BCryptKey.wordCount {
            let offset = (index & 3) * 4
            saltWords[index] = UInt32(setting.salt[offset]) << 24 | UInt32(setting.salt[offset + 1]) << 16
                | UInt32(setting.salt[offset + 2]) << 8 | UInt32(setting.salt[offset + 3])
        }

        // ExpandKey(state, salt, key): key into P, then the salt stream mixed into the running block.
        xorIntoPArray(state, keyWords)
        state[0] ^= setupFlip
        block[0] = 0
        block[1] = 0
        var index = 0
        while index < Layout.stateWords {
            block[0] ^= saltWords[index & 2]
            block[1] ^= saltWords[(index & 2) + 1]
            BF_encrypt(block, blowfishKey)
            state[index] = block[0]
            state[index + 1] = block[1]
            index += 2
        }

        // 2^cost rounds of ExpandKey(state, 0, key) and ExpandKey(state, 0, salt).
        for _ in 0..<(1 << setting.cost) {
            xorIntoPArray(state, keyWords)
            encryptAcrossState(state, blowfishKey, block)
            xorIntoPArray(state, saltWords)
            encryptAcrossState(state, blowfishKey, block)
        }

        var digest = [UInt8]()
        digest.reserveCapacity(24)
        for pair in stride(from: 0, to: magic.count, by: 2) {
            block[0] = magic[pair]
            block[1] = magic[pair + 1]
            for _ in 0..<64 {
                BF_encrypt(block, blowfishKey)
            }
            for word in [block[0], block[1]] {
                digest.append(contentsOf: [UInt8(word >> 24), UInt8(word >> 16 & 0xFF), UInt8(word >> 8 & 0xFF), UInt8(word & 0xFF)])
            }
        }
        return digest
    }

    @inline(__always)
    private static func xorIntoPArray(_ state: UnsafeMutablePointer<UInt32>, _ words: UnsafeMutablePointer<UInt32>) {
        for index in 0..<BCryptKey.wordCount {
            state[index] ^= words[index]
        }
    }

    /// Encrypts the running block (from zero) and stores each result over the next two words of
    /// P and then S: Blowfish's key schedule without key material.
    @inline(__always)
    private static func encryptAcrossState(
        _ state: UnsafeMutablePointer<UInt32>, _ blowfishKey: UnsafePointer<BF_KEY>, _ block: UnsafeMutablePointer<UInt32>
    ) {
        block[0] = 0
        block[1] = 0
        var index = 0
        while index < Layout.stateWords {
            BF_encrypt(block, blowfishKey)
            state[index] = block[0]
            state[index + 1] = block[1]
            index += 2
        }
    }
}
