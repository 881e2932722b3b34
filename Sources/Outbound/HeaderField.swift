import FoundationEssentials

/// Writes header fields (RFC 5322 §2.2): folded at spaces so that lines stay short, and
/// RFC 2047 encoded where the text is not plain ASCII.
enum HeaderField {
    /// RFC 5322 §2.1.1: lines SHOULD stay within 78 characters and MUST within 998.
    private static let foldingLength = 78
    private static let lineLimit = 998
    /// RFC 2047 §2 caps an encoded word at 75 characters. 40 bytes make 56 of base64, 68 with
    /// `=?UTF-8?B?` and `?=`: even `Subject: ` and a first word then fit in 78.
    private static let encodedWordBytes = 40

    /// A value made here, ASCII without line breaks (Date, Message-ID, Content-Type...), folded
    /// at its spaces.
    static func structured(_ name: String, _ value: String) -> String {
        folded(name, value.split(separator: " ").map(String.init))!
    }

    /// Unstructured text such as Subject. Encoded when it is not ASCII, when it holds "=?"
    /// (which a reader would try to decode), or when a word is too long to fit a line.
    static func unstructured(_ name: String, _ value: String) -> String {
        if value.utf8.allSatisfy({ $0 < 0x80 }), !value.contains("=?"),
           let field = folded(name, value.split(separator: " ", omittingEmptySubsequences: false).map(String.init)) {
            return field
        }
        return folded(name, encodedWords(value))!
    }

    /// An address field: `From: authserver <no-reply@localhost>`. The display name is a phrase
    /// (RFC 5322 §3.2.5): atoms as they are, other ASCII as a quoted string, the rest encoded
    /// (RFC 2047 §5 (3)). A non-ASCII address is written as it is (RFC 6532 §3.2).
    static func address(_ name: String, _ mailbox: MailAddress) -> String {
        guard let displayName = mailbox.displayName else {
            return folded(name, [mailbox.address])!
        }
        let angleAddress = "<\(mailbox.address)>"
        if displayName.utf8.allSatisfy({ $0 < 0x80 }), let field = folded(name, phrase(displayName) + [angleAddress]) {
            return field
        }
        return folded(name, encodedWords(displayName) + [angleAddress])!
    }

    /// ASCII words, or one quoted string when any character is not atext (RFC 5322 §3.2.3).
    private static func phrase(_ text: String) -> [String] {
        let atext = Set("!#$%&'*+-/=?^_`{|}~ ".utf8)
        if text.utf8.allSatisfy({ ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A || (0x30...0x39).contains($0) || atext.contains($0) }) {
            return text.split(separator: " ").map(String.init)
        }
        let escaped = text.flatMap { $0 == "\\" || $0 == "\"" ? ["\\", $0] : [$0] }
        return ["\"\(String(escaped))\""]
    }

    /// `words` joined by single spaces after `name:`, a space becoming CRLF SP where the line
    /// would pass 78 characters (unfolding restores the text exactly, RFC 5322 §2.2.3). nil when
    /// a word is too long for even a line of its own.
    private static func folded(_ name: String, _ words: [String]) -> String? {
        var field = "\(name):"
        var width = field.utf8.count
        for (index, word) in words.enumerated() {
            // Never fold before an empty word: that would leave a line of white space alone.
            if index > 0, !word.isEmpty, width + 1 + word.utf8.count > foldingLength {
                field += "\r\n"
                width = 0
            }
            field += " " + word
            width += 1 + word.utf8.count
            if width > lineLimit { return nil }
        }
        return field + "\r\n"
    }

    /// `text` as base64 encoded words of at most 40 UTF-8 bytes each, never splitting a
    /// character's bytes between two words (RFC 2047 §5 (3)). Readers ignore the white space
    /// between adjacent encoded words (RFC 2047 §6.2).
    private static func encodedWords(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        func flush() {
            words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=")
            chunk.removeAll()
        }
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > encodedWordBytes { flush() }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { flush() }
        return words
    }
}
