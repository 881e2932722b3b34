/// An HTTP response: its status, headers and body.
public struct HTTPSResponse: Sendable {
    public let status: Int
    /// In the order received, names as the server spelled them.
    public let headers: [(name: String, value: String)]
    public let body: [UInt8]

    /// The first value of the header `name`, compared case-insensitively (RFC 9110 §5.1), such
    /// as `Content-Type` or `Cache-Control`.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }
}
