import Outbound
import Testing

@Suite struct MailAddressTests {
    @Test func parsesTheFormsOfMailFrom() throws {
        let named = try MailAddress(parsing: "authserver <no-reply@localhost>")
        #expect(named.displayName == "authserver")
        #expect(named.address == "no-reply@localhost")
        #expect(named.domain == "localhost")

        let quoted = try MailAddress(parsing: #"  "Doe, \"JD\" Jane" <jane@example.com> "#)
        #expect(quoted.displayName == #"Doe, "JD" Jane"#)
        #expect(quoted.address == "jane@example.com")

        let bare = try MailAddress(parsing: "no-reply@auth.example.com")
        #expect(bare.displayName == nil)
        #expect(bare.domain == "auth.example.com")
        #expect(try MailAddress(parsing: "<x@example.com>").displayName == nil)
    }

    @Test(arguments: [
        "jane@example.com", "first.last+tag@sub.example.co.uk", "o'brien@example.ie", "user@localhost",
        "jösé@exämple.com", "x@xn--bcher-kva.example",
    ])
    func acceptsAddresses(address: String) throws {
        #expect(try MailAddress(address).address == address)
    }

    @Test(arguments: [
        "", "plain", "@example.com", "jane@", "jane@@example.com", "ja ne@example.com", "jane@exa mple.com",
        "jane.@example.com", ".jane@example.com", "ja..ne@example.com", "jane@example..com", "jane@-x_y.com",
        "jane@example.com\r\nRCPT TO:<victim@example.com>", "<jane@example.com>", "\"quoted\"@example.com",
        String(repeating: "a", count: 65) + "@example.com", "a@" + String(repeating: "b", count: 253),
    ])
    func refusesAddresses(address: String) {
        #expect(throws: MailMessageError.invalidAddress(address)) { try MailAddress(address) }
    }
}
