@testable import AuthCrypto
import Testing

struct BCryptTests {
    /// pyca/bcrypt's first test vector.
    static let validHash = "$2b$04$cVWp4XaNU8a4v1uMRum2SO026BWLIoQMD/TXg5uZV.0P.uO8m3YEm"
    static let validPassword = latin1("Kk4DQuMMfZL9o")

    @Test func hashProducesA2bHashWithTheRequestedCostThatVerifies() throws {
        let hash = BCrypt.hash(password: Array("correct horse".utf8), cost: 5)
        #expect(hash.count == 60)
        #expect(hash.hasPrefix("$2b$05$"))
        #expect(BCrypt.cost(of: hash) == 5)
        #expect(BCrypt.verify(password: Array("correct horse".utf8), hash: hash))
        #expect(!BCrypt.verify(password: Array("correct horsf".utf8), hash: hash))
    }

    @Test func eachHashGetsAFreshSalt() {
        let first = BCrypt.hash(password: [0x61], cost: 4)
        let second = BCrypt.hash(password: [0x61], cost: 4)
        #expect(first.prefix(29) != second.prefix(29))
    }

    /// OpenBSD's `$2b$` and crypt_blowfish use only the first 72 bytes of a password.
    @Test func bytesAfterTheSeventySecondAreIgnored() {
        let setting = "$2b$04$cVWp4XaNU8a4v1uMRum2SO"
        let seventyTwo = [UInt8](repeating: 0x41, count: 72)
        let base = BCrypt.hash(password: seventyTwo, setting: setting)
        #expect(base != nil)
        #expect(BCrypt.hash(password: seventyTwo + [0x42], setting: setting) == base)
        #expect(BCrypt.hash(password: seventyTwo + Array(repeating: 0x43, count: 100), setting: setting) == base)
        #expect(BCrypt.hash(password: Array(seventyTwo.dropLast()), setting: setting) != base)
    }

    @Test func costOfReadsTheTwoDigitCost() {
        #expect(BCrypt.cost(of: Self.validHash) == 4)
        #expect(BCrypt.cost(of: "$2a$10$k87L/MF28Q673VKh8/cPi.SUl7MU/rWuSiIDDFayrKk/1tBsSQu4u") == 10)
        #expect(BCrypt.cost(of: "$2y$05$/OK.fbVrR/bpIqNJ5ianF.Sa7shbm4.OzKpvFnX1pQLmQW96oUlCq") == 5)
    }

    static let malformedHashes: [String] = [
        "",
        "$2b$04$",
        String(validHash.dropLast()),                                   // 59 characters
        validHash + ".",                                                // 61 characters
        "$2c$04$cVWp4XaNU8a4v1uMRum2SO026BWLIoQMD/TXg5uZV.0P.uO8m3YEm", // unknown variant
        "$2$04$cVWp4XaNU8a4v1uMRum2SO026BWLIoQMD/TXg5uZV.0P.uO8m3YEmX", // no variant letter
        "$3b$04$cVWp4XaNU8a4v1uMRum2SO026BWLIoQMD/TXg5uZV.0P.uO8m3YEm",
        "x2b$04$cVWp4XaNU8a4v1uMRum2SO026BWLIoQMD/TXg5uZV.0P.uO8m3YEm",
        "$2B$04$cVWp4XaNU8a4v1uMRum2SO026BWLIoQMD/TXg5uZV.0P.uO8m3YEm",
        "$2b$03$cVWp4XaNU8a4v1uMRum2SO026BWLIoQMD/TXg5uZV.0P.uO8m3YEm", // cost below 4
        "$2b$32$cVWp4XaNU8a4v1uMRum2SO026BWLIoQMD/TXg5uZV.0P.uO8m3YEm", // cost above 31
        "$2b$4$cVWp4XaNU8a4v1uMRum2SO026BWLIoQMD/TXg5uZV.0P.uO8m3YEmX", // one-digit cost
        "$2b$0a$cVWp4XaNU8a4v1uMRum2SO026BWLIoQMD/TXg5uZV.0P.uO8m3YEm",
        "$2b$04$cVWp4XaNU8a4v1uMRum2S+026BWLIoQMD/TXg5uZV.0P.uO8m3YEm", // '+' is not in bcrypt's alphabet
        "$2b$04$?Siw3Nv3Q/gTOIPetAyPr.GNj3aO0lb1E5E9UumYGKjP9BYqlNWJe", // pyca/bcrypt's bad salt
        "$2b$04$cVWp4XaNU8a4v1uMRum2SP026BWLIoQMD/TXg5uZV.0P.uO8m3YEm", // salt's unused bits set
        "$2b$04$cVWp4XaNU8a4v1uMRum2SO026BWLIoQMD/TXg5uZV.0P.uO8m3YE!", // digest outside the alphabet
        "$2b$04$cVWp4XaNU8a4v1uMRum2SO026BWLIoQMD/TXg5uZV.0P.uO8m3YEn", // digest's unused bits set
        "$2b$04$cVWp4XaNU8a4v1uMRum2SO026BWLIoQMD/TXg5uZV.0P.uO8m3Y\u{E9}",
    ]

    @Test(arguments: malformedHashes)
    func malformedHashesVerifyAsFalseAndHaveNoCost(hash: String) {
        #expect(!BCrypt.verify(password: Self.validPassword, hash: hash))
        #expect(BCrypt.cost(of: hash) == nil)
    }

    @Test func theValidHashUsedAboveIsAccepted() {
        #expect(BCrypt.verify(password: Self.validPassword, hash: Self.validHash))
    }
}
