import Foundation

/// One fuzz target: a function over arbitrary bytes that must not crash, hang or read out of
/// bounds, and that checks the invariants its type documents. The libFuzzer executables
/// (Fuzz/<Name>/main.swift) and the corpus replay of `make test` call the same `check`.
public protocol FuzzTarget: SendableMetatype {
    /// The executable is Fuzz<name>; its seed corpus is Fuzz/Corpus/<name>.
    static var name: String { get }
    static func check(_ input: [UInt8]) throws(InvariantViolation)
}

/// An invariant that did not hold for an input: a finding, like a crash.
public struct InvariantViolation: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Fails with `message` unless `condition` holds.
func require(_ condition: Bool, _ message: @autoclosure () -> String) throws(InvariantViolation) {
    if !condition { throw InvariantViolation(message()) }
}

public enum FuzzEntry {
    public typealias TestOneInput = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

    /// The executable's entry. Built for fuzzing (`make fuzz` passes -DFUZZING with
    /// -sanitize=fuzzer) it hands the arguments to libFuzzer's driver: SwiftPM names the
    /// executable's own entry point `main`, so libFuzzer's `main` is not the one that runs.
    /// Otherwise it runs `testOneInput` over the files named as arguments, to replay a finding.
    public static func main(_ testOneInput: TestOneInput) -> Never {
        #if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
        #else
        for path in CommandLine.arguments.dropFirst() {
            guard let input = FileManager.default.contents(atPath: path) else { fatalError("cannot read \(path)") }
            _ = input.withUnsafeBytes { testOneInput($0.bindMemory(to: UInt8.self).baseAddress, $0.count) }
            print("\(path): ok")
        }
        exit(0)
        #endif
    }

    /// The body of `LLVMFuzzerTestOneInput`: a violated invariant aborts, which libFuzzer
    /// records as a crash with the input that caused it.
    public static func run<Target: FuzzTarget>(_ target: Target.Type, _ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        do {
            try Target.check(input)
        } catch {
            fatalError("\(Target.name): \(error)")
        }
        return 0
    }

    /// Every target, for the corpus replay.
    public static let targets: [any FuzzTarget.Type] = [
        HTTPRequestParserTarget.self, ChunkedBodyDecoderTarget.self, JWTVerifierTarget.self, JSONParserTarget.self,
        BCryptSettingTarget.self, CookiesTarget.self, ForwardedForTarget.self, SettingParsersTarget.self,
    ]
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ testOneInput: FuzzEntry.TestOneInput
) -> CInt
#endif

/// Deterministic piece boundaries derived from the input itself, so that a failing split
/// reproduces from the input alone: a cut after every byte whose value is a multiple of 7,
/// which lands inside CRLFs, sizes and tokens alike.
func cuts(of input: [UInt8]) -> [Int] {
    input.indices.dropFirst().filter { input[$0 - 1] % 7 == 0 }
}

/// Without leading and trailing spaces and tabs, as HTTP field values are read.
func trimmingBlanks(_ bytes: Substring.UTF8View) -> Substring.UTF8View {
    var bytes = bytes
    while let first = bytes.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { bytes = bytes.dropFirst() }
    while let last = bytes.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { bytes = bytes.dropLast() }
    return bytes
}
