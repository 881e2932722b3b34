import Foundation

/// A throwaway CA and a server certificate it signed for localhost, 127.0.0.1 and ::1, made
/// by Tests/Support/test_ca.py; removed on deinit.
public final class TestCA {
    private let directory: TemporaryDirectory

    public init() throws {
        directory = try TemporaryDirectory()
        _ = try SupportScript.run("test_ca.py", [directory.path])
    }

    /// The CA certificate, for an extra CA file.
    public var caFile: String { directory.file("ca.pem") }
    public var certificateFile: String { directory.file("server-cert.pem") }
    public var keyFile: String { directory.file("server-key.pem") }
    /// A directory holding only this CA, hashed like /etc/ssl/certs.
    public var hashedDirectory: String { directory.file("hashed") }

    /// Arguments that make a support server present this CA's certificate.
    public var serverArguments: [String] { ["--cert", certificateFile, "--key", keyFile] }
}
