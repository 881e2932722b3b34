import AuthCrypto

/// Where a newest-first page ended: the last row's `created_at` (microseconds since the epoch,
/// exact, as PostgreSQL stores it) and its unique key, which breaks ties. Opaque to clients
/// (base64url of `v1:<micros>:<key>`); a cursor that does not decode is a 400, never a query.
struct KeysetCursor: Equatable {
    let createdMicros: Int
    let key: String

    var encoded: String {
        Base64URL.encode(Array("v1:\(createdMicros):\(key)".utf8))
    }

    init(createdMicros: Int, key: String) {
        self.createdMicros = createdMicros
        self.key = key
    }

    /// nil for anything this server did not hand out, or that `validKey` refuses.
    init?(decoding text: String, validKey: (String) -> Bool) {
        guard text.utf8.count <= 200, let bytes = Base64URL.decode(text) else { return nil }
        let parts = String(decoding: bytes, as: UTF8.self).split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1", let micros = Int(parts[1]), validKey(String(parts[2])) else { return nil }
        self.init(createdMicros: micros, key: String(parts[2]))
    }

    /// The SQL that turns a `$n::bigint` of microseconds back into the timestamp it came from.
    static func timestamp(_ parameter: Int) -> String {
        "(timestamptz 'epoch' + $\(parameter)::bigint * interval '1 microsecond')"
    }

    /// The select-list expression that reads a row's `created_at` as exact microseconds.
    static func micros(_ column: String) -> String {
        "(extract(epoch FROM \(column)) * 1000000)::bigint"
    }
}
