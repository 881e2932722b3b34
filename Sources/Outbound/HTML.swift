/// Helpers for the HTML part of a message.
public enum HTML {
    /// `text` with `&`, `<`, `>`, `"` and `'` replaced by character references: safe to put
    /// inside an element or a quoted attribute value of a template. Escape every value that a
    /// user or a request could have influenced (names, email addresses), links included.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
