@testable import Outbound
import Testing

@Suite struct LoopbackHostTests {
    @Test(arguments: ["localhost", "LOCALHOST", "127.0.0.1", "127.255.0.9", "::1", "[::1]", "::ffff:127.0.0.1", "[0:0:0:0:0:0:0:1]"])
    func loopback(host: String) {
        #expect(LoopbackHost.contains(host))
    }

    @Test(arguments: ["example.com", "localhost.example.com", "127.0.0.1.nip.io", "10.0.0.1", "128.0.0.1", "::2", "[::ffff:10.0.0.1]", "0.0.0.0", ""])
    func notLoopback(host: String) {
        #expect(!LoopbackHost.contains(host))
    }
}
