import CLibCurl

/// One libcurl easy handle, configured through the typed shims for one transfer at a time.
///
/// Not thread-safe: one thread at a time, like the handle itself (libcurl-thread(3)).
/// Setting an option can fail (an option this libcurl lacks, no memory); rather than make every
/// setter throw, the first such failure is kept and `perform()` reports it instead of running.
final class CurlEasy {
    private let handle: UnsafeMutableRawPointer
    /// libcurl writes a readable reason here when a transfer fails (CURLOPT_ERRORBUFFER).
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// Lists that libcurl reads during the transfer without copying them.
    private var lists: [UnsafeMutablePointer<curl_slist>] = []
    /// Callback contexts, kept alive while libcurl holds their unretained pointers.
    private var contexts: [AnyObject] = []
    private var setupFailure: CurlFailure?

    init() {
        CurlLibrary.initialize()
        guard let handle = curl_easy_init() else {
            fatalError("curl_easy_init failed")
        }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        setDefaults()
    }

    deinit {
        curl_easy_cleanup(handle)
        lists.forEach { curl_slist_free_all($0) }
        errorBuffer.deallocate()
    }

    /// Clears every option for the next transfer. libcurl keeps its caches of live connections,
    /// TLS sessions and DNS answers, which is what makes reusing a handle worthwhile.
    func reset() {
        curl_easy_reset(handle)
        lists.forEach { curl_slist_free_all($0) }
        lists.removeAll()
        contexts.removeAll()
        setupFailure = nil
        setDefaults()
    }

    private func setDefaults() {
        set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
        // Without this, libcurl's resolver timeouts use alarm() and SIGALRM, which is unsafe in a
        // threaded process; the threaded resolver (AsynchDNS) keeps DNS bounded without signals.
        set(CURLOPT_NOSIGNAL, 1)
    }

    func set(_ option: CURLoption, _ value: Int) {
        record(clibcurl_setopt_long(handle, option, value), option)
    }

    func set(_ option: CURLoption, offset value: Int64) {
        record(clibcurl_setopt_offset(handle, option, curl_off_t(value)), option)
    }

    /// nil clears the option (CURLOPT_CAINFO: no bundle file at all).
    func set(_ option: CURLoption, _ value: String?) {
        record(clibcurl_setopt_string(handle, option, value), option)
    }

    /// A list option (CURLOPT_HTTPHEADER, CURLOPT_MAIL_RCPT), freed at the next reset.
    func set(_ option: CURLoption, list items: [String]) {
        var list: UnsafeMutablePointer<curl_slist>?
        for item in items {
            guard let longer = curl_slist_append(list, item) else {
                curl_slist_free_all(list)
                record(CURLE_OUT_OF_MEMORY, option)
                return
            }
            list = longer
        }
        if let list { lists.append(list) }
        record(clibcurl_setopt_pointer(handle, option, list.map(UnsafeMutableRawPointer.init)), option)
    }

    func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) {
        record(clibcurl_setopt_pointer(handle, option, pointer), option)
    }

    func set(_ option: CURLoption, callback: clibcurl_data_callback) {
        record(clibcurl_setopt_data_callback(handle, option, callback), option)
    }

    func set(debugCallback callback: curl_debug_callback) {
        record(clibcurl_setopt_debug_callback(handle, callback), CURLOPT_DEBUGFUNCTION)
    }

    func set(progressCallback callback: curl_xferinfo_callback) {
        record(clibcurl_setopt_xferinfo_callback(handle, callback), CURLOPT_XFERINFOFUNCTION)
    }

    /// Hands `context` to libcurl under `option` (CURLOPT_READDATA...) and keeps it alive until
    /// the next reset, so callbacks may take it back with `Unmanaged.takeUnretainedValue()`.
    func set(_ option: CURLoption, context: AnyObject) {
        contexts.append(context)
        set(option, pointer: Unmanaged.passUnretained(context).toOpaque())
    }

    /// Runs the transfer configured since the last reset.
    func perform() throws(CurlFailure) {
        if let setupFailure { throw setupFailure }
        errorBuffer[0] = 0
        let code = curl_easy_perform(handle)
        guard code != CURLE_OK else { return }
        let message = errorBuffer[0] != 0 ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(code))
        throw CurlFailure(code: code, message: message)
    }

    /// The last response code received: an HTTP status or an SMTP reply code; 0 when none came.
    var responseCode: Int {
        var code = 0
        return clibcurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code) == CURLE_OK ? code : 0
    }

    private func record(_ code: CURLcode, _ option: CURLoption) {
        guard code != CURLE_OK, setupFailure == nil else { return }
        let reason = String(cString: curl_easy_strerror(code))
        setupFailure = CurlFailure(code: code, message: "libcurl refused option \(option.rawValue): \(reason)")
    }
}
