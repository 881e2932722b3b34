import Glibc

/// An IPv4 or IPv6 peer address as the kernel reported it.
struct SocketAddress {
    /// The numeric host, IPv4-mapped IPv6 addresses shown as plain IPv4 (`::ffff:1.2.3.4` is `1.2.3.4`).
    let host: String
    let port: Int

    init(_ storage: sockaddr_storage) {
        var storage = storage
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        switch Int32(storage.ss_family) {
        case AF_INET:
            let address = withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee } }
            var raw = address.sin_addr
            inet_ntop(AF_INET, &raw, &buffer, socklen_t(buffer.count))
            host = String(cString: buffer)
            port = Int(UInt16(bigEndian: address.sin_port))
        case AF_INET6:
            let address = withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee } }
            var raw = address.sin6_addr
            inet_ntop(AF_INET6, &raw, &buffer, socklen_t(buffer.count))
            let text = String(cString: buffer)
            host = text.hasPrefix("::ffff:") && text.contains(".") ? String(text.dropFirst(7)) : text
            port = Int(UInt16(bigEndian: address.sin6_port))
        default:
            host = "unknown"
            port = 0
        }
    }
}
