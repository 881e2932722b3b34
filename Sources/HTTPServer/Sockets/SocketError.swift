import Glibc

/// A failed system call on a socket, with the `errno` it left.
public struct SocketError: Error, CustomStringConvertible {
    public let operation: String
    public let code: Int32

    public var description: String {
        "\(operation) failed: \(String(cString: strerror(code))) (errno \(code))"
    }

    static func lastError(_ operation: String) -> SocketError {
        SocketError(operation: operation, code: errno)
    }
}
