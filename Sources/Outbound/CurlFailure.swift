import CLibCurl

/// A libcurl call that failed: its code and the reason libcurl wrote in the error buffer.
struct CurlFailure: Error {
    let code: CURLcode
    let message: String

    /// CURLOPT_TIMEOUT_MS or CURLOPT_CONNECTTIMEOUT_MS ran out, or the hard deadline that backs
    /// them (`TransferDeadline`) did.
    var isTimeout: Bool { code == CURLE_OPERATION_TIMEDOUT || code == CURLE_ABORTED_BY_CALLBACK }

    /// No connection was made: the name did not resolve, or nothing accepted the connection.
    var isConnectFailure: Bool {
        [CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT].contains(code)
    }

    /// The TLS handshake failed, the peer's certificate did not verify, or a required STARTTLS
    /// was not offered.
    var isTLSFailure: Bool {
        [
            CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR,
            CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_USE_SSL_FAILED,
        ].contains(code)
    }
}
