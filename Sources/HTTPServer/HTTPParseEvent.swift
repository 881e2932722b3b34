/// What the parser has to report after the bytes received so far.
public enum HTTPParseEvent: Sendable, Equatable {
    /// The current request's head is complete, carries `Expect: 100-continue`, and its body has
    /// not fully arrived: the server writes "HTTP/1.1 100 Continue" (RFC 9110 §10.1.1).
    /// Reported at most once per request, always before its `.request`.
    case expectContinue
    /// One complete request, head and decoded body. Pipelined requests follow in order.
    case request(HTTPRequest)
    /// The connection must be answered with `error.status` and closed; nothing follows.
    case failure(HTTPParseError)
}
