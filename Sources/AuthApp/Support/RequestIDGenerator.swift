import AuthCrypto
import Synchronization

/// Request ids that cost no system call: a random 64-bit prefix drawn once per process, then a
/// counter (`3f9c2a7d14b0e865-1a`). Unique across instances and restarts in practice; they name
/// a request in logs, they are no secret.
final class RequestIDGenerator: Sendable {
    private let prefix: String
    private let counter = Atomic<UInt64>(0)
    private static let hexDigits = Array("0123456789abcdef".utf8)

    init() {
        prefix = Hex.encode(SecureRandom.bytes(count: 8)) + "-"
    }

    func next() -> String {
        var value = counter.add(1, ordering: .relaxed).newValue
        var digits: [UInt8] = []
        digits.reserveCapacity(16)
        repeat {
            digits.append(Self.hexDigits[Int(value & 0xF)])
            value >>= 4
        } while value > 0
        return prefix + String(decoding: digits.reversed(), as: UTF8.self)
    }
}
