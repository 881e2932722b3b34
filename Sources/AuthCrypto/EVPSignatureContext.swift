import CLibCrypto

/// An EVP_MD_CTX initialised once for signing or verifying with one key, copied for each
/// operation. Initialising looks the signature algorithm up and builds the provider's context
/// every time; a copy skips both: with OpenSSL 3.0 on this project's machines, about 20% more
/// ES256 signatures and 25% more RS256 verifications per second than a fresh
/// EVP_DigestSignInit per call, and within a few percent of a context reused in place (which
/// is what `openssl speed` times, and which no two threads could share).
///
/// The template itself never signs or verifies. EVP_MD_CTX_copy_ex only reads it: it duplicates
/// the provider context and takes atomic references on the key and algorithms, reads that
/// openssl-threads(7) allows from many threads at once, hence the unchecked Sendable.
final class EVPSignatureContext: @unchecked Sendable {
    enum Purpose {
        case signing
        case verifying
    }

    private let template: OpaquePointer
    private let maximumSignatureLength: Int

    init(key: EVPKey, algorithm: SignatureAlgorithm, purpose: Purpose) {
        guard let template = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new failed") }
        // Each copy signs or verifies once; without this flag, EVP_DigestSignFinal duplicates
        // the provider context yet again so that the context stays usable afterwards.
        EVP_MD_CTX_set_flags(template, EVP_MD_CTX_FLAG_FINALISE)
        let initialised = switch purpose {
        case .signing: EVP_DigestSignInit(template, nil, algorithm.digest, nil, key.pointer)
        case .verifying: EVP_DigestVerifyInit(template, nil, algorithm.digest, nil, key.pointer)
        }
        guard initialised == 1 else {
            fatalError("initialising \(purpose) with a \(algorithm.rawValue) key failed: \(OpenSSLErrorQueue.drain())")
        }
        self.template = template
        maximumSignatureLength = Int(EVP_PKEY_get_size(key.pointer))
    }

    deinit {
        EVP_MD_CTX_free(template)
    }

    /// The signature of `message` as OpenSSL encodes it (DER for ECDSA).
    func sign(_ message: UnsafeRawBufferPointer) -> [UInt8] {
        withCopy { context in
            [UInt8](unsafeUninitializedCapacity: maximumSignatureLength) { signature, initializedCount in
                var length = maximumSignatureLength
                guard EVP_DigestSign(context, signature.baseAddress, &length, Self.address(of: message), message.count) == 1 else {
                    fatalError("EVP_DigestSign failed: \(OpenSSLErrorQueue.drain())")
                }
                initializedCount = length
            }
        }
    }

    /// Whether `signature` (as OpenSSL encodes it) is valid for `message`.
    func verify(_ signature: UnsafeRawBufferPointer, of message: UnsafeRawBufferPointer) -> Bool {
        withCopy { context in
            let verified = EVP_DigestVerify(context, Self.address(of: signature), signature.count, Self.address(of: message), message.count) == 1
            if !verified { OpenSSLErrorQueue.clear() }
            return verified
        }
    }

    /// A buffer's bytes for OpenSSL, which takes a null pointer with a zero length as the empty message.
    private static func address(of buffer: UnsafeRawBufferPointer) -> UnsafePointer<UInt8>? {
        buffer.baseAddress?.assumingMemoryBound(to: UInt8.self)
    }

    private func withCopy<Result>(_ body: (OpaquePointer) -> Result) -> Result {
        guard let context = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new failed") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_MD_CTX_copy_ex(context, template) == 1 else { fatalError("EVP_MD_CTX_copy_ex failed: \(OpenSSLErrorQueue.drain())") }
        return body(context)
    }
}
