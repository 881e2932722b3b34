import CLibCrypto

extension EVPKey {
    /// A public key built from JWK members that `JWKComponents(jwk:)` has already length-checked.
    /// OpenSSL decodes an EC point only if it lies on the curve.
    static func publicKey(_ components: JWKComponents) throws(SigningKeyError) -> EVPKey {
        let built: OpaquePointer?
        switch components {
        case .ed25519(let x):
            built = EVP_PKEY_new_raw_public_key_ex(nil, "ED25519", nil, x, x.count)
        case .p256(let x, let y):
            // SEC 1 §2.3.3: the uncompressed point 0x04 || x || y.
            let point = [0x04] + x + y
            built = point.withUnsafeBytes { point in
                withCStrings([OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", OSSL_PKEY_PARAM_PUB_KEY]) { strings in
                    fromData(typeName: "EC") { builder in
                        OSSL_PARAM_BLD_push_utf8_string(builder, strings[0], strings[1], 0) == 1
                            && OSSL_PARAM_BLD_push_octet_string(builder, strings[2], point.baseAddress, point.count) == 1
                    }
                }
            }
        case .rsa(let n, let e):
            let modulus = BigNumber(n)
            let exponent = BigNumber(e)
            built = withExtendedLifetime((modulus, exponent)) {
                withCStrings([OSSL_PKEY_PARAM_RSA_N, OSSL_PKEY_PARAM_RSA_E]) { names in
                    fromData(typeName: "RSA") { builder in
                        OSSL_PARAM_BLD_push_BN(builder, names[0], modulus.pointer) == 1
                            && OSSL_PARAM_BLD_push_BN(builder, names[1], exponent.pointer) == 1
                    }
                }
            }
        }
        guard let built else { throw .invalidKey("not a valid \(components.algorithm.rawValue) public key (\(OpenSSLErrorQueue.drain()))") }
        return EVPKey(taking: built)
    }

    /// EVP_PKEY_PUBLIC_KEY, a macro Swift does not import: domain parameters and the public key.
    private static let publicKeySelection = OSSL_KEYMGMT_SELECT_DOMAIN_PARAMETERS | OSSL_KEYMGMT_SELECT_OTHER_PARAMETERS
        | OSSL_KEYMGMT_SELECT_PUBLIC_KEY

    /// EVP_PKEY_fromdata over the parameters `push` adds to a builder. The builder keeps
    /// references to names and values, not copies, so they must all outlive this call
    /// (OSSL_PARAM_BLD(3); see `withCStrings`).
    private static func fromData(typeName: String, _ push: (OpaquePointer) -> Bool) -> OpaquePointer? {
        guard let builder = OSSL_PARAM_BLD_new() else { fatalError("OSSL_PARAM_BLD_new failed") }
        defer { OSSL_PARAM_BLD_free(builder) }
        guard push(builder), let parameters = OSSL_PARAM_BLD_to_param(builder) else { return nil }
        defer { OSSL_PARAM_free(parameters) }
        guard let context = EVP_PKEY_CTX_new_from_name(nil, typeName, nil) else { fatalError("OpenSSL has no \(typeName) keys") }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_fromdata_init(context) == 1, EVP_PKEY_fromdata(context, &key, publicKeySelection, parameters) == 1 else {
            return nil
        }
        return key
    }

    /// The JWK members of this key's public part; `algorithm` is the key's own.
    func publicComponents(_ algorithm: SignatureAlgorithm) -> JWKComponents {
        switch algorithm {
        case .edDSA:
            var x = [UInt8](repeating: 0, count: JWKComponents.ed25519KeySize)
            var length = x.count
            guard EVP_PKEY_get_raw_public_key(pointer, &x, &length) == 1, length == x.count else {
                fatalError("EVP_PKEY_get_raw_public_key failed for an Ed25519 key")
            }
            return .ed25519(x: x)
        case .es256:
            return .p256(
                x: bigNumberParameter(OSSL_PKEY_PARAM_EC_PUB_X).bytes(paddedTo: JWKComponents.p256CoordinateSize),
                y: bigNumberParameter(OSSL_PKEY_PARAM_EC_PUB_Y).bytes(paddedTo: JWKComponents.p256CoordinateSize)
            )
        case .rs256:
            return .rsa(n: bigNumberParameter(OSSL_PKEY_PARAM_RSA_N).bytes(), e: bigNumberParameter(OSSL_PKEY_PARAM_RSA_E).bytes())
        }
    }

    private func bigNumberParameter(_ name: String) -> BigNumber {
        var value: OpaquePointer?
        guard EVP_PKEY_get_bn_param(pointer, name, &value) == 1, let value else {
            fatalError("EVP_PKEY_get_bn_param(\(name)) failed")
        }
        return BigNumber(taking: value)
    }
}
