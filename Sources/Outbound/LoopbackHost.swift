#if canImport(Glibc)
import Glibc
#endif

/// Recognizes host names and addresses that stay on this machine.
public enum LoopbackHost {
    /// `localhost` (libcurl resolves it to a loopback address itself, never through DNS or
    /// /etc/hosts), 127.0.0.0/8, `::1` and IPv4-mapped 127.0.0.0/8. An IPv6 host may keep its
    /// URL brackets.
    public static func contains(_ host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") {
            name = String(name.dropFirst().dropLast())
        }
        if name == "localhost" || name == "localhost." { return true }
        var ipv4 = in_addr()
        if inet_pton(AF_INET, name, &ipv4) == 1 {
            return UInt32(bigEndian: ipv4.s_addr) >> 24 == 127
        }
        var ipv6 = in6_addr()
        guard inet_pton(AF_INET6, name, &ipv6) == 1 else { return false }
        return withUnsafeBytes(of: &ipv6) { bytes in
            let isLoopback = bytes.prefix(15).allSatisfy { $0 == 0 } && bytes[15] == 1
            let isMappedLoopback = bytes.prefix(10).allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
                && bytes[12] == 127
            return isLoopback || isMappedLoopback
        }
    }
}
