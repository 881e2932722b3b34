import Foundation
import Glibc

/// A loopback TCP forwarder whose link can be cut, frozen and restored: a database outage or a
/// silent network partition on demand, without touching the PostgreSQL the other tests share.
public final class TCPProxy: @unchecked Sendable {
    // @unchecked Sendable: `isCut`, `isFrozen`, `sockets` and `isClosed` are guarded by `lock`;
    // the rest is immutable.

    public let port: Int
    private let targetPort: Int
    private let listener: Int32
    private let lock = NSLock()
    private var isCut = false
    private var isFrozen = false
    private var isClosed = false
    private var sockets: [Int32] = []

    public init(targetPort: Int) throws {
        self.targetPort = targetPort
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = TCPProxy.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }
        listen(listener, 64)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        port = Int(UInt16(bigEndian: address.sin_port))
        self.listener = listener
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// The test database's URL with this proxy's port.
    public func url(for url: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.port = port
        return components.string ?? url
    }

    /// Drops every forwarded connection and refuses new ones until `restore()`.
    public func cut() {
        lock.withLock {
            isCut = true
            for socket in sockets { shutdown(socket, Int32(SHUT_RDWR)) }
            sockets = []
        }
    }

    /// Keeps every connection open but forwards nothing until `restore()`: a silent partition.
    public func freeze() {
        lock.withLock { isFrozen = true }
    }

    public func restore() {
        lock.withLock {
            isCut = false
            isFrozen = false
        }
    }

    /// Stops accepting and drops every connection; the listener's thread ends.
    public func close() {
        cut()
        lock.withLock { isClosed = true }
        shutdown(listener, Int32(SHUT_RDWR))
    }

    private var frozen: Bool { lock.withLock { isFrozen } }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { break }
            let refused = lock.withLock { isCut || isClosed }
            guard !refused, let server = connectToTarget() else {
                Glibc.close(client)
                continue
            }
            lock.withLock { sockets += [client, server] }
            let done = DispatchGroup()
            for (source, destination) in [(client, server), (server, client)] {
                done.enter()
                Thread.detachNewThread { [self] in
                    pump(from: source, to: destination)
                    done.leave()
                }
            }
            Thread.detachNewThread {
                done.wait()
                Glibc.close(client)
                Glibc.close(server)
            }
        }
        Glibc.close(listener)
    }

    private func connectToTarget() -> Int32? {
        let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = TCPProxy.loopback(port: targetPort)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if connected == 0 { return server }
        Glibc.close(server)
        return nil
    }

    private func pump(from source: Int32, to destination: Int32) {
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            // A frozen link holds what it read; the pump thread polls, the tests do not.
            while frozen { usleep(5_000) }
            guard buffer.withUnsafeBytes({ send(destination, $0.baseAddress, count, Int32(MSG_NOSIGNAL)) }) == count else { break }
        }
        shutdown(destination, Int32(SHUT_RDWR))
        shutdown(source, Int32(SHUT_RDWR))
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
