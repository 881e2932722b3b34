import Foundation

/// A throwaway CA and a server certificate it signed for localhost, 127.0.0.1 and ::1, made
/// by Tests/Support/test_ca.py; removed on deinit.
final class TestCA {
    private let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
        _ = try SupportScript.run("test_ca.py", [directory.path])
    }

    /// The CA certificate, for an extra CA file.
    var caFile: String { directory.file("ca.pem") }
    var certificateFile: String { directory.file("server-cert.pem") }
    var keyFile: String { directory.file("server-key.pem") }
    /// A directory holding only this CA, hashed like /etc/ssl/certs.
    var hashedDirectory: String { directory.file("hashed") }

    /// Arguments that make a support server present this CA's certificate.
    var serverArguments: [String] { ["--cert", certificateFile, "--key", keyFile] }
}
