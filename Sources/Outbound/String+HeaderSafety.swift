extension StringProtocol {
    /// False when the text holds a control character (CR and LF among them) or a Unicode line or
    /// paragraph separator, any of which a mail program may take for the end of a header.
    var isSafeHeaderText: Bool {
        !unicodeScalars.contains { scalar in
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator: true
            default: false
            }
        }
    }
}
