import Reactor
import CLinuxIO
import Glibc

/// A non-blocking TCP socket listening on a numeric host address.
struct ListeningSocket {
    let descriptor: Int32
    let port: Int

    /// Binds `host:port` (port 0 picks a free port). `::` listens on IPv6 and IPv4 alike.
    static func bind(host: String, port: Int, backlog: Int32 = 4096) throws -> ListeningSocket {
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let info = list else {
            throw ReactorError(operation: "Resolve \(host)", code: status == EAI_SYSTEM ? errno : EINVAL)
        }
        defer { freeaddrinfo(list) }

        let descriptor = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw ReactorError.lastError("Socket") }
        do {
            try setOption(descriptor, SOL_SOCKET, SO_REUSEADDR, 1)
            if info.pointee.ai_family == AF_INET6 {
                try setOption(descriptor, Int32(IPPROTO_IPV6), IPV6_V6ONLY, 0)
            }
            guard Glibc.bind(descriptor, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
                throw ReactorError.lastError("Bind \(host):\(port)")
            }
            guard listen(descriptor, backlog) == 0 else { throw ReactorError.lastError("Listen") }
            return ListeningSocket(descriptor: descriptor, port: try boundPort(descriptor))
        } catch {
            Glibc.close(descriptor)
            throw error
        }
    }

    func close() {
        _ = Glibc.close(descriptor)
    }

    private static func boundPort(_ descriptor: Int32) throws -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard result == 0 else { throw ReactorError.lastError("Getsockname") }
        // sin_port and sin6_port sit at the same offset, after the family.
        return withUnsafeBytes(of: &storage) { Int(UInt16(bigEndian: $0.loadUnaligned(fromByteOffset: 2, as: UInt16.self))) }
    }
}

func setOption(_ descriptor: Int32, _ level: Int32, _ name: Int32, _ value: Int32) throws {
    var value = value
    guard setsockopt(descriptor, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
        throw ReactorError.lastError("Setsockopt \(name)")
    }
}
