/// Runs `body` with NUL-terminated C copies of `strings` that stay valid for the whole call.
///
/// OSSL_PARAM and OSSL_PARAM_BLD keep pointers to parameter names and string values, not
/// copies, and OpenSSL reads them later (in EVP_MAC_init, OSSL_PARAM_BLD_to_param,
/// EVP_PKEY_fromdata). Swift bridges a String argument to a C pointer only for the duration
/// of that one call, so such strings must come from here instead.
func withCStrings<Result>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>]) -> Result) -> Result {
    var storage: [CChar] = []
    var offsets: [Int] = []
    for string in strings {
        offsets.append(storage.count)
        storage.append(contentsOf: string.utf8CString)
    }
    return storage.withUnsafeMutableBufferPointer { storage in
        body(offsets.map { storage.baseAddress! + $0 })
    }
}
