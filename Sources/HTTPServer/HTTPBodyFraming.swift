/// How a request's body is delimited (RFC 9112 §6.3).
enum HTTPBodyFraming: Equatable {
    /// No Content-Length and no Transfer-Encoding: the body is empty.
    case none
    case contentLength(Int)
    case chunked
}
