/// An email address with an optional display name: `authserver <no-reply@localhost>`.
///
/// Accepted addresses are `local@domain` with a dot-atom local part (RFC 5322 §3.4.1; quoted
/// local parts are refused), at most 64 octets before the `@` and 254 in all (RFC 5321
/// §4.5.3.1), and a domain of letters, digits and hyphens. Non-ASCII characters are allowed in
/// both parts (RFC 6531); the server must then support SMTPUTF8.
public struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    /// RFC 5322 §3.2.3 atext, less the letters and digits.
    private static let atextSymbols = Set("!#$%&'*+-/=?^_`{|}~".utf8)

    public let displayName: String?
    public let address: String

    /// `displayName` may hold any text but line breaks and control characters (a non-ASCII one is
    /// sent RFC 2047 encoded); an empty one counts as none.
    public init(_ address: String, displayName: String? = nil) throws(MailMessageError) {
        guard Self.isValid(address) else { throw .invalidAddress(address) }
        if let displayName, !displayName.isSafeHeaderText {
            throw .invalidHeaderValue(field: "display name")
        }
        self.address = address
        self.displayName = displayName.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Reads `Name <address>`, `"Name, quoted" <address>` or a bare address: the forms `MAIL_FROM`
    /// is written in.
    public init(parsing text: String) throws(MailMessageError) {
        let trimmed = text.trimmingSpaces
        guard trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") else {
            try self.init(trimmed)
            return
        }
        let address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
        var name = trimmed[..<open].trimmingSpaces
        if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") {
            name = Self.unquoted(name.dropFirst().dropLast())
        }
        try self.init(address, displayName: name)
    }

    /// The domain, after the last `@`: where the Message-ID is made unique.
    public var domain: Substring {
        address[address.index(after: address.lastIndex(of: "@")!)...]
    }

    /// As in a header, e.g. `authserver <no-reply@localhost>` (before any RFC 2047 encoding).
    public var description: String {
        displayName.map { "\($0) <\(address)>" } ?? address
    }

    private static func isValid(_ address: String) -> Bool {
        guard let at = address.lastIndex(of: "@") else { return false }
        let local = address[..<at].utf8
        let domain = address[address.index(after: at)...].utf8
        return (1...64).contains(local.count) && address.utf8.count <= 254
            && isDotAtom(local, allowed: { $0 >= 0x80 || isASCIIAlphanumeric($0) || atextSymbols.contains($0) })
            && isDotAtom(domain, allowed: { $0 >= 0x80 || isASCIIAlphanumeric($0) || $0 == UInt8(ascii: "-") })
    }

    /// Non-empty runs of `allowed` bytes separated by single dots.
    private static func isDotAtom(_ bytes: Substring.UTF8View, allowed: (UInt8) -> Bool) -> Bool {
        bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
            .allSatisfy { !$0.isEmpty && $0.allSatisfy(allowed) }
    }

    private static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// RFC 5322 §3.2.4: a backslash quotes the character after it.
    private static func unquoted(_ quoted: Substring) -> String {
        var result = ""
        var escaping = false
        for character in quoted {
            if !escaping, character == "\\" {
                escaping = true
            } else {
                result.append(character)
                escaping = false
            }
        }
        return result
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
