/// The parameters at the start of a bcrypt hash string: `$2b$` + two-digit cost + `$` + 22
/// characters of salt (16 bytes in bcrypt's radix-64 alphabet).
package struct BCryptSetting: Sendable {
    package static let length = 29
    package static let hashLength = length + digestLength
    /// 23 of the 24 bytes EksBlowfish produces, as every implementation does: 31 characters.
    static let digestLength = 31
    static let saltByteCount = 16
    static let costs = 4...31

    let variant: BCryptVariant
    package let cost: Int
    let salt: [UInt8]

    init(variant: BCryptVariant, cost: Int, salt: [UInt8]) {
        precondition(Self.costs.contains(cost) && salt.count == Self.saltByteCount)
        self.variant = variant
        self.cost = cost
        self.salt = salt
    }

    /// Parses the first `length` characters of `text`; nil for an unknown prefix, a cost outside
    /// 4...31, or a salt that is not canonical radix-64.
    package init?(parsing text: UnsafeBufferPointer<UInt8>) {
        guard text.count >= Self.length,
              text[0] == UInt8(ascii: "$"), text[1] == UInt8(ascii: "2"), text[3] == UInt8(ascii: "$"),
              let variant = BCryptVariant(rawValue: text[2]),
              let tens = Self.digit(text[4]), let units = Self.digit(text[5]),
              text[6] == UInt8(ascii: "$"),
              Self.costs.contains(tens * 10 + units),
              let salt = Radix64.bcrypt.decode(UnsafeBufferPointer(rebasing: text[7..<Self.length]))
        else { return nil }
        self.init(variant: variant, cost: tens * 10 + units, salt: salt)
    }

    /// `$2b$NN$` + salt: the first 29 characters of a hash.
    package func encoded() -> [UInt8] {
        var text: [UInt8] = [
            UInt8(ascii: "$"), UInt8(ascii: "2"), variant.rawValue, UInt8(ascii: "$"),
            UInt8(ascii: "0") + UInt8(cost / 10), UInt8(ascii: "0") + UInt8(cost % 10), UInt8(ascii: "$"),
        ]
        text.reserveCapacity(Self.hashLength)
        salt.withUnsafeBytes { Radix64.bcrypt.append(encoding: $0, to: &text) }
        return text
    }

    private static func digit(_ character: UInt8) -> Int? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(character) ? Int(character - UInt8(ascii: "0")) : nil
    }
}
