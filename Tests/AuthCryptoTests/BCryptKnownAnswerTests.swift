@testable import AuthCrypto
import Testing

/// Published bcrypt vectors, checked both ways: verify() accepts the password and rejects a
/// neighbour, and hashing with the vector's setting reproduces it character for character.
struct BCryptKnownAnswerTests {
    /// Openwall crypt_blowfish 1.3 wrapper.c test vectors (as carried by php-src,
    /// ext/standard/tests/strings/crypt_blowfish.phpt), minus the `$2x$` ones (see
    /// `rejectsTheBuggy2xVariant`). They cover `$2a$`, `$2b$`, `$2y$`, 8-bit bytes, the `$2a$`
    /// countermeasure, passwords over 72 bytes and the empty password.
    static let openwallVectors: [(password: [UInt8], hash: String)] = [
        (latin1("U*U"), "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"),
        (latin1("U*U*"), "$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK"),
        (latin1("U*U*U"), "$2a$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a"),
        (latin1("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789chars after 72 are ignored"),
         "$2a$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui"),
        (latin1("\u{FF}\u{FF}\u{A3}"), "$2y$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e"),
        (latin1("\u{FF}\u{FF}\u{A3}"), "$2a$05$/OK.fbVrR/bpIqNJ5ianF.nqd1wy.pTMdcvrRWxyiGL2eMz.2a85."),
        (latin1("\u{FF}\u{FF}\u{A3}"), "$2b$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e"),
        (latin1("\u{A3}"), "$2y$05$/OK.fbVrR/bpIqNJ5ianF.Sa7shbm4.OzKpvFnX1pQLmQW96oUlCq"),
        (latin1("\u{A3}"), "$2a$05$/OK.fbVrR/bpIqNJ5ianF.Sa7shbm4.OzKpvFnX1pQLmQW96oUlCq"),
        (latin1("\u{A3}"), "$2b$05$/OK.fbVrR/bpIqNJ5ianF.Sa7shbm4.OzKpvFnX1pQLmQW96oUlCq"),
        (latin1("\u{FF}\u{A3}34\u{FF}\u{FF}\u{FF}\u{A3}345"), "$2y$05$/OK.fbVrR/bpIqNJ5ianF.o./n25XVfn6oAPaUvHe.Csk4zRfsYPi"),
        (latin1("\u{FF}\u{A3}34\u{FF}\u{FF}\u{FF}\u{A3}345"), "$2a$05$/OK.fbVrR/bpIqNJ5ianF.ZC1JEJ8Z4gPfpe1JOr/oyPXTWl9EFd."),
        (latin1("\u{FF}\u{A3}345"), "$2y$05$/OK.fbVrR/bpIqNJ5ianF.nRht2l/HRhr6zmCp9vYUvvsqynflf9e"),
        (latin1("\u{FF}\u{A3}345"), "$2a$05$/OK.fbVrR/bpIqNJ5ianF.nRht2l/HRhr6zmCp9vYUvvsqynflf9e"),
        (latin1("\u{A3}ab"), "$2a$05$/OK.fbVrR/bpIqNJ5ianF.6IflQkJytoRVc1yuaNtHfiuq.FRlSIS"),
        (latin1("\u{A3}ab"), "$2y$05$/OK.fbVrR/bpIqNJ5ianF.6IflQkJytoRVc1yuaNtHfiuq.FRlSIS"),
        (Array(repeating: 0xAA, count: 72) + latin1("chars after 72 are ignored as usual"),
         "$2a$05$/OK.fbVrR/bpIqNJ5ianF.swQOIzjOiJ9GHEPuhEkvqrUyvWhEMx6"),
        (Array([[UInt8]](repeating: [0xAA, 0x55], count: 36).joined()), "$2a$05$/OK.fbVrR/bpIqNJ5ianF.R9xrDjiycxMbQE2bp.vgqlYpW5wx2yy"),
        (Array([[UInt8]](repeating: [0x55, 0xAA, 0xFF], count: 24).joined()), "$2a$05$/OK.fbVrR/bpIqNJ5ianF.9tQZzcJfm3uj2NvJ/n5xkhpqLrMpWCe"),
        ([], "$2a$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy"),
    ]

    /// pyca/bcrypt tests/test_bcrypt.py `_test_vectors` (those not already above). The last two
    /// hold NUL bytes: pyca/bcrypt hashes every byte, as we do, where C's crypt(3) would stop.
    static let pycaVectors: [(password: [UInt8], hash: String)] = [
        (latin1("Kk4DQuMMfZL9o"), "$2b$04$cVWp4XaNU8a4v1uMRum2SO026BWLIoQMD/TXg5uZV.0P.uO8m3YEm"),
        (latin1("9IeRXmnGxMYbs"), "$2b$04$pQ7gRO7e6wx/936oXhNjrOUNOHL1D0h1N2IDbJZYs.1ppzSof6SPy"),
        (latin1("xVQVbwa1S0M8r"), "$2b$04$SQe9knOzepOVKoYXo9xTteNYr6MBwVz4tpriJVe3PNgYufGIsgKcW"),
        (latin1("Zfgr26LWd22Za"), "$2b$04$eH8zX.q5Q.j2hO1NkVYJQOM6KxntS/ow3.YzVmFrE4t//CoF4fvne"),
        (latin1("Tg4daC27epFBE"), "$2b$04$ahiTdwRXpUG2JLRcIznxc.s1.ydaPGD372bsGs8NqyYjLY1inG5n2"),
        (latin1("xhQPMmwh5ALzW"), "$2b$04$nQn78dV0hGHf5wUBe0zOFu8n07ZbWWOKoGasZKRspZxtt.vBRNMIy"),
        (latin1("59je8h5Gj71tg"), "$2b$04$cvXudZ5ugTg95W.rOjMITuM1jC0piCl3zF5cmGhzCibHZrNHkmckG"),
        (latin1("wT4fHJa2N9WSW"), "$2b$04$YYjtiq4Uh88yUsExO0RNTuEJ.tZlsONac16A8OcLHleWFjVawfGvO"),
        (latin1("uSgFRnQdOgm4S"), "$2b$04$WLTjgY/pZSyqX/fbMbJzf.qxCeTMQOzgL.CimRjMHtMxd/VGKojMu"),
        (latin1("tEPtJZXur16Vg"), "$2b$04$2moPs/x/wnCfeQ5pCheMcuSJQ/KYjOZG780UjA/SiR.KsYWNrC7SG"),
        (latin1("vvho8C6nlVf9K"), "$2b$04$HrEYC/AQ2HS77G78cQDZQ.r44WGcruKw03KHlnp71yVQEwpsi3xl2"),
        (latin1("5auCCY9by0Ruf"), "$2b$04$vVYgSTfB8KVbmhbZE/k3R.ux9A0lJUM4CZwCkHI9fifke2.rTF7MG"),
        (latin1("GtTkR6qn2QOZW"), "$2b$04$JfoNrR8.doieoI8..F.C1OQgwE3uTeuardy6lw0AjALUzOARoyf2m"),
        (latin1("zKo8vdFSnjX0f"), "$2b$04$HP3I0PUs7KBEzMBNFw7o3O7f/uxaZU7aaDot1quHMgB2yrwBXsgyy"),
        (latin1("I9VfYlacJiwiK"), "$2b$04$xnFVhJsTzsFBTeP3PpgbMeMREb6rdKV9faW54Sx.yg9plf4jY8qT6"),
        (latin1("VFPO7YXnHQbQO"), "$2b$04$WQp9.igoLqVr6Qk70mz6xuRxE0RttVXXdukpR9N54x17ecad34ZF6"),
        (latin1("VDx5BdxfxstYk"), "$2b$04$xgZtlonpAHSU/njOCdKztOPuPFzCNVpB4LGicO4/OGgHv.uKHkwsS"),
        (latin1("dEe6XfVGrrfSH"), "$2b$04$2Siw3Nv3Q/gTOIPetAyPr.GNj3aO0lb1E5E9UumYGKjP9BYqlNWJe"),
        (latin1("cTT0EAFdwJiLn"), "$2b$04$7/Qj7Kd8BcSahPO4khB8me4ssDJCW3r4OGYqPF87jxtrSyPj5cS5m"),
        (latin1("J8eHUDuxBB520"), "$2b$04$VvlCUKbTMjaxaYJ.k5juoecpG/7IzcH1AkmqKi.lIZMVIOLClWAk."),
        (latin1("}>\u{B3}\u{FE}\u{F1}\u{8B}\u{A0}\u{E6}(\u{A2}Lzq\u{C3}P\u{7F}\u{CC}\u{C8}b{\u{F9}\u{14}\u{F6}\u{F6}`\u{81}G5\u{EC}\u{1D}\u{87}\u{10}\u{BF}\u{A7}\u{E1}}I7 \u{96}\u{DF}c\u{F2}\u{BF}\u{B3}Vh\u{DF}M\u{88}q\u{F7}\u{FF}\u{1B}\u{82}~z\u{13}\u{DD}\u{E9}\u{84}\u{00}\u{DD}4"),
         "$2b$10$keO.ZZs22YtygVF6BLfhGOI/JjshJYPp8DZsUtym6mJV2Eha2Hdd."),
        (latin1("g7\u{0D}\u{01}\u{F3}\u{D4}\u{D0}\u{A9}JB^\u{18}\u{00}7P\u{B2}N\u{C7}\u{1C}\u{EE}\u{87}&\u{83}C\u{8B}\u{E8}\u{18}\u{C5}>\u{86}\u{14}/\u{D6}\u{CC}\u{1C}J\u{DE}\u{D7}ix\u{EB}\u{DE}O\u{EF}\u{E1}i\u{AC}\u{CB}\u{03}\u{96}v1' \u{D6}@.m\u{A5}!\u{A0}\u{EF}\u{C0}("),
         "$2a$04$tecY.9ylRInW/rAAzXCXPOOlyYeCNzmNTzPDNSIFztFMKbvs/s5XG"),
    ]

    /// jBCrypt's TestBCrypt vectors by Damien Miller (OpenBSD's bcrypt maintainer), also shipped
    /// by py-bcrypt and Go ports; the cost-12 ones are left out to keep the suite fast.
    static let jbcryptVectors: [(password: [UInt8], hash: String)] = [
        (latin1(""), "$2a$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s."),
        (latin1(""), "$2a$08$HqWuK6/Ng6sg9gQzbLrgb.Tl.ZHfXLhvt/SgVyWhQqgqcZ7ZuUtye"),
        (latin1(""), "$2a$10$k1wbIrmNyFAPwPVPSVa/zecw2BCEnBwVS2GbrmgzxFUOqW9dk4TCW"),
        (latin1("a"), "$2a$06$m0CrhHm10qJ3lXRY.5zDGO3rS2KdeeWLuGmsfGlMfOxih58VYVfxe"),
        (latin1("a"), "$2a$08$cfcvVd2aQ8CMvoMpP2EBfeodLEkkFJ9umNEfPD18.hUF62qqlC/V."),
        (latin1("a"), "$2a$10$k87L/MF28Q673VKh8/cPi.SUl7MU/rWuSiIDDFayrKk/1tBsSQu4u"),
        (latin1("abc"), "$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i"),
        (latin1("abc"), "$2a$08$Ro0CUfOqk6cXEKf3dyaM7OhSCvnwM9s4wIX9JeLapehKK5YdLxKcm"),
        (latin1("abc"), "$2a$10$WvvTPHKwdBJ3uk0Z37EMR.hLA2W6N9AEBhEgrAOljy2Ae5MtaSIUi"),
        (latin1("abcdefghijklmnopqrstuvwxyz"), "$2a$06$.rCVZVOThsIa97pEDOxvGuRRgzG64bvtJ0938xuqzv18d3ZpQhstC"),
        (latin1("abcdefghijklmnopqrstuvwxyz"), "$2a$08$aTsUwsyowQuzRrDqFflhgekJ8d9/7Z3GV3UcgvzQW3J5zMyrTvlz."),
        (latin1("abcdefghijklmnopqrstuvwxyz"), "$2a$10$fVH8e28OQRj9tqiDXs1e1uxpsjN0c7II7YPKXua2NAKYvM6iQk7dq"),
        (latin1("~!@#$%^&*()      ~!@#$%^&*()PNBFRD"), "$2a$06$fPIsBO8qRqkjj273rfaOI.HtSV9jLDpTbZn782DC6/t7qT67P6FfO"),
        (latin1("~!@#$%^&*()      ~!@#$%^&*()PNBFRD"), "$2a$08$Eq2r4G/76Wv39MzSX262huzPz612MZiYHVUJe/OcOql2jo4.9UxTW"),
        (latin1("~!@#$%^&*()      ~!@#$%^&*()PNBFRD"), "$2a$10$LgfYWkbzEvQ4JakH7rOvHe0y8pHKF9OaFgwUZ2q7W2FFZmZzJYlfS"),
    ]

    static let allVectors = openwallVectors + pycaVectors + jbcryptVectors

    @Test(arguments: allVectors)
    func hashingWithTheVectorsSettingReproducesIt(password: [UInt8], hash: String) {
        #expect(BCrypt.hash(password: password, setting: hash) == hash)
    }

    @Test(arguments: allVectors)
    func verifyAcceptsThePasswordAndRejectsANeighbour(password: [UInt8], hash: String) {
        let neighbour = password.isEmpty ? [0x21] : [password[0] ^ 0x01] + password.dropFirst()
        #expect(BCrypt.verify(password: password, hash: hash))
        #expect(!BCrypt.verify(password: neighbour, hash: hash))
    }

    /// crypt_blowfish wrapper.c: under `$2x$` the sign-extension bug makes "\xA3" and
    /// "\xFF\xFF\xA3" collide. We refuse `$2x$` hashes rather than accept such collisions.
    @Test func rejectsTheBuggy2xVariant() {
        let buggy = "$2x$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e"
        #expect(!BCrypt.verify(password: latin1("\u{A3}"), hash: buggy))
        #expect(!BCrypt.verify(password: latin1("\u{FF}\u{FF}\u{A3}"), hash: buggy))
        #expect(BCrypt.hash(password: latin1("\u{A3}"), setting: buggy) == nil)
        #expect(BCrypt.cost(of: buggy) == nil)
    }
}
