import CLibCurl

/// A URL taken apart by libcurl's own parser (curl_url(3)), so that what is checked here (the
/// scheme, the host) is exactly what libcurl will connect to.
struct CurlURL {
    /// Lowercased.
    let scheme: String
    /// As libcurl prints it: an IPv6 address keeps its brackets.
    let host: String
    /// nil when the URL names none.
    let port: Int?
    /// Percent-decoded.
    let user: String?
    /// Percent-decoded.
    let password: String?
    let path: String
    let query: String?
    let fragment: String?

    /// nil when libcurl cannot parse `string` or it has no host.
    init?(_ string: String) {
        guard let url = curl_url() else { return nil }
        defer { curl_url_cleanup(url) }
        // Any scheme parses, so that callers can refuse an unwanted one by name.
        guard curl_url_set(url, CURLUPART_URL, string, UInt32(CURLU_NON_SUPPORT_SCHEME)) == CURLUE_OK,
              let scheme = Self.part(CURLUPART_SCHEME, of: url),
              let host = Self.part(CURLUPART_HOST, of: url)
        else { return nil }
        self.scheme = scheme.lowercased()
        self.host = host
        port = Self.part(CURLUPART_PORT, of: url).flatMap { Int($0) }
        user = Self.part(CURLUPART_USER, of: url, flags: UInt32(CURLU_URLDECODE))
        password = Self.part(CURLUPART_PASSWORD, of: url, flags: UInt32(CURLU_URLDECODE))
        path = Self.part(CURLUPART_PATH, of: url) ?? "/"
        query = Self.part(CURLUPART_QUERY, of: url)
        fragment = Self.part(CURLUPART_FRAGMENT, of: url)
    }

    /// nil when the part is absent.
    private static func part(_ part: CURLUPart, of url: OpaquePointer, flags: UInt32 = 0) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard curl_url_get(url, part, &value, flags) == CURLUE_OK, let value else { return nil }
        defer { curl_free(value) }
        return String(cString: value)
    }

    /// Whether the host is this machine: connections to it never leave it, so no one on the
    /// network can read or alter them.
    var hasLoopbackHost: Bool {
        LoopbackHost.contains(host)
    }
}
