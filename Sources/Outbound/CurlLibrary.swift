import CLibCurl

/// libcurl's process-wide state.
enum CurlLibrary {
    /// curl_global_init(3) must run before any other libcurl call, once. A static initializer
    /// runs exactly once, whichever thread gets there first.
    private static let initialized = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    static func initialize() {
        precondition(initialized, "curl_global_init failed")
    }
}
