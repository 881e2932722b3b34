import AuthApp
import Foundation
import HTTPServer

/// The `X-Forwarded-For` walk (`TrustedProxies.clientIP`, what ClientIPMiddleware calls) on
/// arbitrary text: the first line is the peer address (an unparsable one is 127.0.0.1), every
/// further line one header. The trusted proxies are loopback, 10.0.0.0/8, fd00::/8 and
/// 192.0.2.1; every line is also tried as a `TRUST_PROXY` entry.
///
/// Invariants: the client is the peer or an address listed in the headers; an untrusted peer's
/// headers are ignored; headers are one list (separate lines give what they give joined by ",");
/// a valid entry configures a proxy that trusts its own address.
public enum ForwardedForTarget: FuzzTarget {
    public static let name = "ForwardedFor"

    static let proxies = TrustedProxies(["loopback", "10.0.0.0/8", "fd00::/8", "192.0.2.1"])

    public static func check(_ input: [UInt8]) throws(InvariantViolation) {
        let lines = String(decoding: input, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let peer = lines.first.flatMap(IPAddress.init) ?? IPAddress("127.0.0.1")!
        let headers = Array(lines.dropFirst())

        let client = proxies.clientIP(peer: peer, forwardedFor: headers)
        let listed = headers.flatMap { $0.utf8.split(separator: UInt8(ascii: ",")) }.compactMap { IPAddress(String(Substring(trimmingBlanks($0)))) }
        try require(client == peer || listed.contains(client), "client \(client) is neither the peer nor listed")
        try require(proxies.isTrusted(peer) || client == peer, "an untrusted peer's header was believed")
        try require(proxies.clientIP(peer: peer, forwardedFor: [headers.joined(separator: ",")]) == client || headers.isEmpty,
                    "separate headers walk otherwise than joined")

        for entry in lines where TrustedProxies.isValidEntry(entry) {
            let entryProxies = TrustedProxies([entry])
            try require(entryProxies.isConfigured, "valid entry \(entry) configures nothing")
            let address = entry.split(separator: "/", omittingEmptySubsequences: false).first.flatMap { IPAddress(String($0)) }
            try require(address.map(entryProxies.isTrusted) ?? (entry.lowercased() == "loopback"), "entry \(entry) does not trust its address")
        }
    }
}
