// Milliseconds per bcrypt hash, ours against libxcrypt's crypt(3) measured alternately in one
// run, and HS256 sign/verify throughput. Run in release: `swift run -c release crypto-bench`.
import AuthCrypto
import Foundation

/// libxcrypt's crypt_r, loaded at run time so the package needs no system-library target for it.
struct SystemCrypt {
    private typealias CryptR = @convention(c) (UnsafePointer<CChar>, UnsafePointer<CChar>, UnsafeMutableRawPointer) -> UnsafeMutablePointer<CChar>?
    private let cryptR: CryptR
    /// sizeof(struct crypt_data) in libxcrypt.
    private let scratchSize = 32768

    init() {
        guard let library = dlopen("libcrypt.so.1", RTLD_NOW), let symbol = dlsym(library, "crypt_r") else {
            fatalError("cannot load crypt_r from libcrypt.so.1: \(String(cString: dlerror()))")
        }
        cryptR = unsafeBitCast(symbol, to: CryptR.self)
    }

    func hash(password: String, setting: String) -> String {
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: scratchSize, alignment: 16)
        defer { scratch.deallocate() }
        scratch.initializeMemory(as: UInt8.self, repeating: 0, count: scratchSize)
        guard let output = cryptR(password, setting, scratch) else { fatalError("crypt_r failed for \(setting)") }
        return String(cString: output)
    }
}

func milliseconds(_ body: () -> Void) -> Double {
    let clock = ContinuousClock()
    let elapsed = clock.measure(body)
    return Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) * 1e-15
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

let systemCrypt = SystemCrypt()
let password = "correct horse battery staple"
let rounds = 7

print("bcrypt, median of \(rounds) alternating rounds (ms per hash)")
for cost in [10, 12] {
    // The same password and cost on both sides; crypt(3) gets a fixed setting, ours a fresh salt.
    let salt = BCrypt.hash(password: Array("salt source".utf8), cost: 4).dropFirst(7).prefix(22)
    let setting = "$2b$\(cost)$" + salt
    let reference = systemCrypt.hash(password: password, setting: setting)
    guard BCrypt.verify(password: Array(password.utf8), hash: reference) else {
        fatalError("our bcrypt does not verify crypt(3)'s hash \(reference)")
    }
    var ours: [Double] = []
    var theirs: [Double] = []
    for _ in 0..<rounds {
        ours.append(milliseconds { _ = BCrypt.hash(password: Array(password.utf8), cost: cost) })
        theirs.append(milliseconds { _ = systemCrypt.hash(password: password, setting: setting) })
    }
    let ratio = median(ours) / median(theirs)
    print(String(format: "cost %d: ours %.2f ms, crypt(3) %.2f ms, ratio ours/theirs %.3f", cost, median(ours), median(theirs), ratio))
}

/// Operations per second of `body` over `iterations` runs; `body` returns a number to keep its work alive.
func operationsPerSecond(iterations: Int, _ body: () -> Int) -> Double {
    var sink = 0
    let elapsed = milliseconds {
        for _ in 0..<iterations { sink &+= body() }
    }
    precondition(sink != 0)
    return Double(iterations) / (elapsed / 1e3)
}

let jwt = AccessTokenJWT(secret: Array(repeating: 0x5A, count: 64))
let issuedAt = Int(Date().timeIntervalSince1970)
let claims = AccessTokenClaims(
    subject: "6f1c2d3e-9a7b-4c1d-8e2f-3a4b5c6d7e8f", email: "ada.lovelace@example.com", role: "CANDIDATE",
    issuedAt: issuedAt, expiresAt: issuedAt + 900, tokenId: "0b8f7a6e-5d4c-4b3a-9f8e-7d6c5b4a3f2e",
    sessionId: "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"
)
let token = jwt.sign(claims)
let iterations = 200_000
print("HS256 (\(token.utf8.count)-byte token, one core)")
print(String(format: "sign:   %.0f ops/s", operationsPerSecond(iterations: iterations) { jwt.sign(claims).utf8.count }))
print(String(format: "verify: %.0f ops/s", operationsPerSecond(iterations: iterations) {
    (try? jwt.verify(token, now: issuedAt))?.expiresAt ?? 0
}))
