import AuthCrypto

/// Keys for separate purposes derived from `SERVER_SECRET`, so that no two uses share a key
/// (a MAC that is valid as one thing can never pass as another).
enum ServerKeys {
    static func derive(_ purpose: String, from serverSecret: [UInt8]) -> [UInt8] {
        HMACSHA256.authenticate(message: Array("authserver \(purpose)".utf8), key: serverSecret)
    }
}
