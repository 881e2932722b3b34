extension HTTPRequest {
    /// The query's `name=value` pairs (`application/x-www-form-urlencoded`), decoded; the first
    /// occurrence of a name wins, and a pair that does not decode is left out.
    public var queryParameters: [String: String] {
        guard let query, !query.isEmpty else { return [:] }
        var parameters: [String: String] = [:]
        for pair in query.utf8.split(separator: UInt8(ascii: "&")) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = PercentDecoding.decode(parts[0], plusIsSpace: true), !name.isEmpty,
                  let value = PercentDecoding.decode(parts.count == 2 ? parts[1] : parts[0][parts[0].endIndex...], plusIsSpace: true)
            else { continue }
            if parameters[name] == nil { parameters[name] = value }
        }
        return parameters
    }
}
