import Glibc

/// A failed system call, with the `errno` it left.
public struct ReactorError: Error, CustomStringConvertible, Sendable {
    public let operation: String
    public let code: Int32

    public init(operation: String, code: Int32) {
        self.operation = operation
        self.code = code
    }

    public var description: String {
        "\(operation) failed: \(String(cString: strerror(code))) (errno \(code))"
    }

    public static func lastError(_ operation: String) -> ReactorError {
        ReactorError(operation: operation, code: errno)
    }
}
