import Foundation
import Glibc

/// The proxies named by `TRUST_PROXY`, and the client IP they vouch for. `X-Forwarded-For` is
/// believed only from a trusted peer, and walked right to left past trusted hops: the first
/// untrusted address is the client. A header from anyone else is ignored, so it cannot forge an
/// IP to dodge the rate limits.
struct TrustedProxies: Sendable {
    private struct Block: Sendable {
        let address: [UInt8]
        let prefixLength: Int

        func contains(_ candidate: [UInt8]) -> Bool {
            guard candidate.count == address.count else { return false }
            var remaining = prefixLength
            for (lhs, rhs) in zip(address, candidate) where remaining > 0 {
                let bits = min(8, remaining)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if lhs & mask != rhs & mask { return false }
                remaining -= bits
            }
            return true
        }
    }

    private let blocks: [Block]

    /// `entries`: IP addresses, CIDR blocks (`10.0.0.0/8`, `fd00::/8`) and `loopback`.
    init(_ entries: [String]) {
        blocks = entries.flatMap { TrustedProxies.blocks(for: $0) ?? [] }
    }

    /// Without trusted proxies the client IP is the socket peer.
    var isConfigured: Bool { !blocks.isEmpty }

    static func isValidEntry(_ entry: String) -> Bool {
        blocks(for: entry) != nil
    }

    func clientIP(peer: String, forwardedFor headers: [String]) -> String {
        guard !blocks.isEmpty, isTrusted(peer), !headers.isEmpty else { return peer }
        let hops = headers.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        var client = peer
        for hop in hops.reversed() {
            guard TrustedProxies.bytes(of: hop) != nil else { return client }
            client = hop
            if !isTrusted(hop) { return hop }
        }
        return client
    }

    func isTrusted(_ address: String) -> Bool {
        guard let bytes = TrustedProxies.bytes(of: address) else { return false }
        return blocks.contains { $0.contains(bytes) }
    }

    private static func blocks(for entry: String) -> [Block]? {
        if entry.lowercased() == "loopback" {
            return [Block(address: [127, 0, 0, 0], prefixLength: 8), Block(address: Array(repeating: 0, count: 15) + [1], prefixLength: 128)]
        }
        let parts = entry.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = bytes(of: String(parts[0])) else { return nil }
        let maximum = address.count * 8
        guard let prefix = parts.count == 2 ? Int(parts[1]) : maximum, (0...maximum).contains(prefix) else { return nil }
        return [Block(address: address, prefixLength: prefix)]
    }

    /// An IPv4 address as 4 bytes, IPv6 as 16 (IPv4-mapped IPv6 as its IPv4 bytes); nil if neither.
    static func bytes(of address: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, address, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
            return Array(bytes[12...])
        }
        return bytes
    }
}
