import CLibCurl
import FoundationEssentials
import Glibc

/// The certificate authorities that a TLS server (SMTP, an OpenID provider) must chain to: the
/// system's, plus those of an optional extra file (`EXTRA_CA_FILE`, for a private CA).
///
/// Peer and host name are always verified: there is no switch to turn that off.
public struct CertificateTrust: Sendable {
    /// Debian's directory of trusted CAs, hashed by update-ca-certificates for OpenSSL lookups.
    public static let systemCADirectory = "/etc/ssl/certs"

    /// A directory of CA certificates named by OpenSSL subject hash (`openssl rehash`).
    public let systemCADirectory: String
    /// A PEM file of further CA certificates, trusted beside the system's.
    public let extraCAFile: String?

    /// Fails when the directory is missing or the extra file is unreadable or holds no PEM
    /// certificate: better at start than as a TLS failure on every connection.
    public init(extraCAFile: String? = nil, systemCADirectory: String = CertificateTrust.systemCADirectory)
        throws(OutboundConfigurationError)
    {
        var status = stat()
        guard stat(systemCADirectory, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
            throw OutboundConfigurationError("CA directory \(systemCADirectory) does not exist")
        }
        if let extraCAFile {
            guard let contents = FileManager.default.contents(atPath: extraCAFile) else {
                throw OutboundConfigurationError("extra CA file \(extraCAFile) cannot be read")
            }
            guard String(decoding: contents, as: UTF8.self).contains("-----BEGIN CERTIFICATE-----") else {
                throw OutboundConfigurationError("extra CA file \(extraCAFile) holds no PEM certificate")
            }
        }
        self.systemCADirectory = systemCADirectory
        self.extraCAFile = extraCAFile
    }

    /// OpenSSL's backend loads both locations into one store (X509_STORE_load_file and
    /// X509_STORE_load_path), so a chain to either verifies; the tests prove it with one CA in
    /// each. CAINFO is set even when there is no extra file, to nil, so that libcurl's built-in
    /// bundle path does not widen the trust beyond the directory named here.
    func apply(to easy: CurlEasy) {
        easy.set(CURLOPT_SSL_VERIFYPEER, 1)
        easy.set(CURLOPT_SSL_VERIFYHOST, 2)
        easy.set(CURLOPT_CAPATH, systemCADirectory)
        easy.set(CURLOPT_CAINFO, extraCAFile)
        // RFC 8996 retires TLS 1.0 and 1.1.
        easy.set(CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_2)
    }
}
