import CLibCrypto

/// HMAC-SHA-256 (RFC 2104) through OpenSSL's EVP_MAC.
///
/// Keep an instance for a key that signs many messages (the JWT secret): it absorbs the key once,
/// and each message starts from a copy of that keyed state, about twice as fast as a one-shot.
public struct HMACSHA256: Sendable {
    public static let size = 32

    private let keyed: KeyedContext

    public init<Key: Collection<UInt8>>(key: Key) {
        keyed = KeyedContext(key: key)
    }

    /// The 32-byte MAC of `message` under this instance's key.
    public func authenticate<Message: Collection<UInt8>>(_ message: Message) -> [UInt8] {
        guard let context = EVP_MAC_CTX_dup(keyed.context) else {
            fatalError("EVP_MAC_CTX_dup failed")
        }
        defer { EVP_MAC_CTX_free(context) }
        return [UInt8](unsafeUninitializedCapacity: Self.size) { output, initializedCount in
            var length = 0
            let succeeded = message.withContiguousBytes { message in
                EVP_MAC_update(context, message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count) == 1
                    && EVP_MAC_final(context, output.baseAddress, &length, Self.size) == 1
            }
            guard succeeded, length == Self.size else {
                fatalError("EVP_MAC HMAC-SHA256 failed")
            }
            initializedCount = Self.size
        }
    }

    /// One-shot HMAC-SHA-256 of `message` under `key`.
    public static func authenticate<Message: Collection<UInt8>, Key: Collection<UInt8>>(
        message: Message, key: Key
    ) -> [UInt8] {
        HMACSHA256(key: key).authenticate(message)
    }
}

extension HMACSHA256 {
    /// An EVP_MAC_CTX with the key absorbed, never modified after init: EVP_MAC_CTX_dup reads its
    /// source through a const pointer, which OpenSSL allows from many threads at once
    /// (openssl-threads(7)), hence the unchecked Sendable.
    private final class KeyedContext: @unchecked Sendable {
        /// Fetched once: OpenSSL 3 otherwise looks HMAC up by name for every context. Immutable
        /// once fetched and only read by EVP_MAC_CTX_new, like the SHA-256 EVP_MD (SHA256.swift),
        /// hence nonisolated(unsafe).
        nonisolated(unsafe) private static let algorithm: OpaquePointer = {
            guard let algorithm = EVP_MAC_fetch(nil, "HMAC", nil) else {
                fatalError("OpenSSL has no HMAC implementation")
            }
            return algorithm
        }()

        let context: OpaquePointer

        init<Key: Collection<UInt8>>(key: Key) {
            guard let context = EVP_MAC_CTX_new(Self.algorithm) else {
                fatalError("EVP_MAC_CTX_new failed")
            }
            // The parameter keeps pointers to its name and value until EVP_MAC_init reads them.
            let initialized = withCStrings([OSSL_MAC_PARAM_DIGEST, "SHA256"]) { strings in
                var parameters = [
                    OSSL_PARAM_construct_utf8_string(strings[0], strings[1], 0),
                    OSSL_PARAM_construct_end(),
                ]
                return key.withContiguousBytes { key in
                    // A nil key pointer would mean "keep the previous key", so an empty key needs a real address.
                    withUnsafeBytes(of: UInt8(0)) { emptyKey in
                        let keyBytes = (key.baseAddress ?? emptyKey.baseAddress!).assumingMemoryBound(to: UInt8.self)
                        return EVP_MAC_init(context, keyBytes, key.count, &parameters) == 1
                    }
                }
            }
            guard initialized else {
                fatalError("EVP_MAC_init(HMAC-SHA256) failed")
            }
            self.context = context
        }

        deinit {
            EVP_MAC_CTX_free(context)
        }
    }
}
