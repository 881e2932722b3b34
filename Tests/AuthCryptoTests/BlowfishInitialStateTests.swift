@testable import AuthCrypto
import CLibCrypto
import Testing

/// Our π table must be OpenSSL's: Blowfish's standard key schedule run from it with OpenSSL's
/// BF_encrypt must land on exactly the state BF_set_key builds from OpenSSL's private copy.
struct BlowfishInitialStateTests {
    @Test func startsWithTheDigitsOfPi() {
        #expect(blowfishInitialState.count == 18 + 4 * 256)
        #expect(blowfishInitialState[0] == 0x243F_6A88)
        #expect(blowfishInitialState[17] == 0x8979_FB1B)
        #expect(blowfishInitialState[18] == 0xD131_0BA6)
        #expect(blowfishInitialState[1041] == 0x3AC3_72E6)
    }

    /// A table word is only read until the schedule overwrites it, and a single key reads only
    /// some of them, so many keys are needed to cover every word.
    @Test func keyScheduleFromTheTableMatchesOpenSSL() {
        var generator = SystemRandomNumberGenerator()
        for keyLength in 1...56 {
            for _ in 0..<4 {
                let key = (0..<keyLength).map { _ in UInt8.random(in: 0...255, using: &generator) }
                #expect(scheduleFromTable(key: key) == scheduleFromOpenSSL(key: key), "key \(Hex.encode(key))")
            }
        }
    }

    /// Schneier's key schedule: XOR the cycled key into P, then encrypt zeros across P and S.
    private func scheduleFromTable(key: [UInt8]) -> [UInt32] {
        var state = blowfishInitialState
        var position = 0
        for index in 0..<18 {
            var word: UInt32 = 0
            for _ in 0..<4 {
                word = word << 8 | UInt32(key[position])
                position = (position + 1) % key.count
            }
            state[index] ^= word
        }
        state.withUnsafeMutableBufferPointer { state in
            let blowfishKey = UnsafeRawPointer(state.baseAddress!).assumingMemoryBound(to: BF_KEY.self)
            var block: [UInt32] = [0, 0]
            for index in stride(from: 0, to: state.count, by: 2) {
                BF_encrypt(&block, blowfishKey)
                state[index] = block[0]
                state[index + 1] = block[1]
            }
        }
        return state
    }

    private func scheduleFromOpenSSL(key: [UInt8]) -> [UInt32] {
        var schedule = BF_KEY()
        BF_set_key(&schedule, Int32(key.count), key)
        return withUnsafeBytes(of: &schedule) { Array($0.bindMemory(to: UInt32.self)) }
    }
}
