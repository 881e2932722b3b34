// Milliseconds per bcrypt hash, ours against libxcrypt's crypt(3) measured alternately in one
// run; the bcrypt ceiling, every core hashing at once; HS256 sign/verify throughput; EdDSA,
// ES256 and RS256 signatures against `openssl speed` in the same run, and whole tokens. Run in
// release: `swift run -c release crypto-bench`.
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

// The machine's bcrypt ceiling: one thread per core hashing at once, as the login pool does.
// Two hardware threads of one core, or a busy neighbour, make this less than cores / one hash.
let hashingThreads = ProcessInfo.processInfo.activeProcessorCount
let hashesPerThread = 6
let parallelSeconds = milliseconds {
    DispatchQueue.concurrentPerform(iterations: hashingThreads) { _ in
        for _ in 0..<hashesPerThread { _ = BCrypt.hash(password: Array(password.utf8), cost: 12) }
    }
} / 1e3
print(String(format: "bcrypt cost 12 on %d threads at once: %.2f hashes/s", hashingThreads,
             Double(hashingThreads * hashesPerThread) / parallelSeconds))

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

/// This thread's CPU time in seconds.
func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

/// Operations per CPU second of `body`, run in batches for `seconds` of wall time. `openssl
/// speed` divides by CPU time too, so the two stay comparable while other work on the machine
/// takes turns on the cores.
func operationsPerCPUSecond(seconds: Double, _ body: () -> Int) -> Double {
    let clock = ContinuousClock()
    let deadline = clock.now + .milliseconds(Int(seconds * 1000))
    let start = threadCPUSeconds()
    var operations = 0
    var sink = 0
    repeat {
        for _ in 0..<16 { sink &+= body() }
        operations += 16
    } while clock.now < deadline
    precondition(sink != 0)
    return Double(operations) / (threadCPUSeconds() - start)
}

/// `openssl speed` for one primitive, run now, from its summary line: "rsa 2048 bits ...
/// sign/s verify/s", " 256 bits ecdsa (nistp256) ...", " 253 bits EdDSA (Ed25519) ...".
func opensslSpeed(_ algorithm: SignatureAlgorithm, seconds: Int) -> (sign: Double, verify: Double) {
    let (name, marker) = switch algorithm {
    case .edDSA: ("ed25519", "EdDSA (Ed25519)")
    case .es256: ("ecdsap256", "ecdsa (nistp256)")
    case .rs256: ("rsa2048", "rsa 2048 bits")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["openssl", "speed", "-seconds", String(seconds), name]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { fatalError("cannot run openssl speed: \(error)") }
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard let line = text.split(separator: "\n").last(where: { $0.contains(marker) }) else {
        fatalError("unexpected openssl speed output:\n\(text)")
    }
    let numbers = line.split(separator: " ").compactMap { Double($0) }
    return (sign: numbers[numbers.count - 2], verify: numbers[numbers.count - 1])
}

// Other work on the machine comes and goes, so each round brackets one `openssl speed` run
// between two of ours (averaged), and the ratio compares medians over the rounds.
let speedRounds = 5
print("Signatures, one core, operations per CPU second, median of \(speedRounds) rounds of ours, `openssl speed -seconds 1 ALG`, ours")
for algorithm in SignatureAlgorithm.allCases {
    let key = PrivateSigningKey.generate(algorithm)
    let tokens = try! AccessTokenJWT(signingKey: key)
    let token = tokens.sign(claims)
    // The primitive over exactly what a token signs: header.payload, about 400 bytes.
    let signingInput = Array(token.utf8[..<token.utf8.lastIndex(of: UInt8(ascii: "."))!])
    let signature = key.sign(signingInput)
    func ours() -> (sign: Double, verify: Double) {
        (sign: operationsPerCPUSecond(seconds: 0.5) { key.sign(signingInput).count },
         verify: operationsPerCPUSecond(seconds: 0.5) { key.publicKey.isValidSignature(signature, for: signingInput) ? 1 : 0 })
    }
    var rounds: (ours: [(sign: Double, verify: Double)], openssl: [(sign: Double, verify: Double)]) = ([], [])
    for _ in 0..<speedRounds {
        let before = ours()
        rounds.openssl.append(opensslSpeed(algorithm, seconds: 1))
        let after = ours()
        rounds.ours.append((sign: (before.sign + after.sign) / 2, verify: (before.verify + after.verify) / 2))
    }
    let tokenSign = operationsPerCPUSecond(seconds: 1) { tokens.sign(claims).utf8.count }
    let tokenVerify = operationsPerCPUSecond(seconds: 1) { (try? tokens.verify(token, now: issuedAt))?.expiresAt ?? 0 }
    let name = algorithm.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0)
    for (operation, ours, theirs, whole) in [
        ("sign:  ", median(rounds.ours.map(\.sign)), median(rounds.openssl.map(\.sign)), tokenSign),
        ("verify:", median(rounds.ours.map(\.verify)), median(rounds.openssl.map(\.verify)), tokenVerify),
    ] {
        print(name + operation + String(format: " ours %8.0f, openssl %8.0f, ratio %.3f; whole token %8.0f", ours, theirs, ours / theirs, whole))
    }
}
