import HTTPServer

/// The proxies named by `TRUST_PROXY`, and the client IP they vouch for. `X-Forwarded-For` is
/// believed only from a trusted peer, and walked right to left past trusted hops: the first
/// untrusted address is the client. A header from anyone else is ignored, so it cannot forge an
/// IP to dodge the rate limits.
package struct TrustedProxies: Sendable {
    private struct Network: Sendable {
        let address: IPAddress
        let prefixLength: Int
    }

    private let networks: [Network]

    /// `entries`: IP addresses, CIDR blocks (`10.0.0.0/8`, `fd00::/8`) and `loopback`.
    package init(_ entries: [String]) {
        networks = entries.flatMap { TrustedProxies.networks(for: $0) ?? [] }
    }

    /// Without trusted proxies the client IP is the socket peer.
    package var isConfigured: Bool { !networks.isEmpty }

    package static func isValidEntry(_ entry: String) -> Bool {
        networks(for: entry) != nil
    }

    package func clientIP(peer: IPAddress, forwardedFor headers: [String]) -> IPAddress {
        guard isConfigured, isTrusted(peer), !headers.isEmpty else { return peer }
        // Split on the byte: a "," after a combining mark is no separator to Character-wise splitting.
        let hops = headers.flatMap { $0.utf8.split(separator: UInt8(ascii: ",")) }
        var client = peer
        for hop in hops.reversed() {
            guard let address = IPAddress(Substring(hop).trimmingBlanks()) else { return client }
            client = address
            if !isTrusted(address) { return address }
        }
        return client
    }

    package func isTrusted(_ address: IPAddress) -> Bool {
        networks.contains { address.isIn($0.address, prefixLength: $0.prefixLength) }
    }

    private static func networks(for entry: String) -> [Network]? {
        if entry.lowercased() == "loopback" {
            return [Network(address: IPAddress("127.0.0.0")!, prefixLength: 8), Network(address: IPAddress("::1")!, prefixLength: 128)]
        }
        let parts = entry.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddress(String(parts[0])) else { return nil }
        let maximum = address.isIPv4 ? 32 : 128
        guard let prefix = parts.count == 2 ? Int(parts[1]) : maximum, (0...maximum).contains(prefix) else { return nil }
        return [Network(address: address, prefixLength: prefix)]
    }
}
