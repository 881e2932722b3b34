import Glibc

/// An IPv4 or IPv6 address in binary form. An IPv4-mapped IPv6 address (`::ffff:1.2.3.4`, what
/// a dual-stack socket reports for IPv4 peers) is the IPv4 address.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// The 16 bytes of the IPv6 form, IPv4 as mapped; `isIPv4` tells which was meant.
    private let high: UInt64
    private let low: UInt64
    public let isIPv4: Bool

    private init(high: UInt64, low: UInt64, isIPv4: Bool) {
        self.high = high
        self.low = low
        self.isIPv4 = isIPv4
    }

    /// Parses the numeric text form (`203.0.113.7`, `2001:db8::1`); nil for anything else.
    public init?(_ text: String) {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            self.init(v4: v4)
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        self.init(v6: v6)
    }

    init(v4: in_addr) {
        self.init(high: 0, low: 0xFFFF_0000_0000 | UInt64(UInt32(bigEndian: v4.s_addr)), isIPv4: true)
    }

    init(v6: in6_addr) {
        var v6 = v6
        let (high, low) = withUnsafeBytes(of: &v6) { bytes in
            (bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self).bigEndian,
             bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self).bigEndian)
        }
        let isMappedIPv4 = high == 0 && low >> 32 == 0xFFFF
        self.init(high: high, low: low, isIPv4: isMappedIPv4)
    }

    /// The address of a connected peer, or nil for a family other than IPv4 and IPv6.
    init?(_ storage: sockaddr_storage) {
        var storage = storage
        switch Int32(storage.ss_family) {
        case AF_INET:
            self.init(v4: withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr } })
        case AF_INET6:
            self.init(v6: withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr } })
        default:
            return nil
        }
    }

    /// The address as bytes: 4 for IPv4, 16 for IPv6.
    public var bytes: [UInt8] {
        let all = withUnsafeBytes(of: (high.bigEndian, low.bigEndian)) { Array($0) }
        return isIPv4 ? Array(all[12...]) : all
    }

    /// What one client is counted as by limits: the address itself for IPv4, its /64 for IPv6,
    /// since one subscriber is routinely given a whole /64 and can pick any address in it.
    public var client: IPAddress {
        isIPv4 ? self : IPAddress(high: high, low: 0, isIPv4: false)
    }

    /// Whether this address lies in `network`/`prefixLength` (an IPv4 prefix counts IPv4 bits);
    /// an IPv4 address is never in an IPv6 network, nor the reverse.
    public func isIn(_ network: IPAddress, prefixLength: Int) -> Bool {
        guard isIPv4 == network.isIPv4 else { return false }
        let bits = min(128, max(0, (isIPv4 ? 96 : 0) + prefixLength))
        let highMask: UInt64 = bits >= 64 ? .max : (bits == 0 ? 0 : ~0 << UInt64(64 - bits))
        let lowMask: UInt64 = bits <= 64 ? 0 : (bits == 128 ? .max : ~0 << UInt64(128 - bits))
        return high & highMask == network.high & highMask && low & lowMask == network.low & lowMask
    }

    public var isLoopback: Bool {
        isIPv4 ? (low >> 24) & 0xFF == 127 : high == 0 && low == 1
    }

    /// The numeric text form, IPv4 dotted, IPv6 as RFC 5952 (`inet_ntop`).
    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        if isIPv4 {
            var v4 = in_addr(s_addr: UInt32(truncatingIfNeeded: low).bigEndian)
            inet_ntop(AF_INET, &v4, &buffer, socklen_t(buffer.count))
        } else {
            var v6 = in6_addr()
            withUnsafeMutableBytes(of: &v6) { bytes in
                bytes.storeBytes(of: high.bigEndian, toByteOffset: 0, as: UInt64.self)
                bytes.storeBytes(of: low.bigEndian, toByteOffset: 8, as: UInt64.self)
            }
            inet_ntop(AF_INET6, &v6, &buffer, socklen_t(buffer.count))
        }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}
