import AuthApp
import Foundation

/// The `Cookie` header parser (AuthApp `Cookies`) on arbitrary text, each line one header.
///
/// Invariants: no crash; a cookie's value never spans a `;`; no cookie is empty; and headers
/// are one list: the lines parsed as separate headers give what they give joined by "; ".
public enum CookiesTarget: FuzzTarget {
    public static let name = "Cookies"

    public static func check(_ input: [UInt8]) throws(InvariantViolation) {
        let headers = String(decoding: input, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let cookies = Cookies(headers: headers)
        let joined = Cookies(headers: [headers.joined(separator: "; ")])
        try require(cookies == joined, "separate headers parse otherwise than joined")
        for pair in headers.flatMap({ $0.utf8.split(separator: UInt8(ascii: ";")) }) {
            guard let equals = pair.firstIndex(of: UInt8(ascii: "=")) else { continue }
            let name = String(Substring(trimmingBlanks(pair[..<equals])))
            guard let value = cookies[name] else { continue }
            try require(!value.isEmpty && !value.utf8.contains(UInt8(ascii: ";")), "cookie \(name) has value \(value.debugDescription)")
        }
    }
}
