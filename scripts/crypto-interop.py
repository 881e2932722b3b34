#!/usr/bin/env python3
"""Reference side of AuthCrypto's interop tests: pyca/bcrypt, libxcrypt's crypt(3), PyJWT and
pyca/cryptography.

Usage: crypto-interop.py COMMAND [ARG], one request per stdin line, one answer per stdout line
(batched so a test starts one process per direction). Passwords and secrets travel as hex.

  bcrypt-hash COST     hexpassword            -> pyca/bcrypt $2b$ hash
  bcrypt-check         hexpassword hash       -> 1 or 0 (pyca/bcrypt checkpw)
  crypt-hash COST      hexpassword prefix     -> crypt(3) hash with a fresh salt, prefix 2a/2b/2y
  crypt-check          hexpassword hash       -> 1 or 0 (crypt(3) reproduces the hash)
  jwt-decode HEXSECRET token [audience]       -> claims as JSON (jwt.decode, HS256 only)
  jwt-encode HEXSECRET claims-json            -> HS256 token (jwt.encode)
  jws-decode JWKS-JSON token [audience]       -> claims as JSON: the key by the header's kid from
                                                 the JWK Set (PyJWKSet, as PyJWKClient does), only
                                                 that key's algorithm allowed
  jws-encode HEXPEM    kid claims-json        -> token signed with the PKCS#8 key (EdDSA, ES256 or
                                                 RS256 by key type), header kid
  sig-sign HEXPEM      hexmessage             -> hex JWS signature (cryptography; ES256 as r || s)
  sig-verify HEXSPKI   hexmessage hexsignature -> 1 or 0 (cryptography; ES256 as r || s)
  key-generate         EdDSA|ES256|RS256      -> hex PKCS#8 PEM of a new key, space, its public JWK
                                                 as PyJWT writes it (to_jwk)

Any missing module or library exits non-zero with a message on stderr.
"""
import ctypes
import json
import sys


def load_crypt():
    library = ctypes.CDLL("libcrypt.so.1")
    library.crypt.restype = ctypes.c_char_p
    library.crypt.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    return library.crypt


def jws_algorithm(key):
    """The JWS algorithm of a cryptography key, private or public."""
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
    if isinstance(key, (ed25519.Ed25519PrivateKey, ed25519.Ed25519PublicKey)):
        return "EdDSA"
    if isinstance(key, (ec.EllipticCurvePrivateKey, ec.EllipticCurvePublicKey)):
        return "ES256"
    if isinstance(key, (rsa.RSAPrivateKey, rsa.RSAPublicKey)):
        return "RS256"
    sys.exit(f"unsupported key type {type(key).__name__}")


def sign(key, message):
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, utils
    algorithm = jws_algorithm(key)
    if algorithm == "EdDSA":
        return key.sign(message)
    if algorithm == "ES256":
        r, s = utils.decode_dss_signature(key.sign(message, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return key.sign(message, padding.PKCS1v15(), hashes.SHA256())


def verify(key, message, signature):
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, utils
    algorithm = jws_algorithm(key)
    try:
        if algorithm == "EdDSA":
            key.verify(signature, message)
        elif algorithm == "ES256":
            if len(signature) != 64:
                return False
            der = utils.encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
            key.verify(der, message, ec.ECDSA(hashes.SHA256()))
        else:
            key.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
        return True
    except InvalidSignature:
        return False


def generate(algorithm):
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
    if algorithm == "EdDSA":
        return ed25519.Ed25519PrivateKey.generate()
    if algorithm == "ES256":
        return ec.generate_private_key(ec.SECP256R1())
    if algorithm == "RS256":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    sys.exit(f"unknown algorithm {algorithm}")


def main():
    command, argument = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else None)
    lines = sys.stdin.read().splitlines()
    answers = []
    if command == "bcrypt-hash":
        import bcrypt
        salt_cost = int(argument)
        answers = [bcrypt.hashpw(bytes.fromhex(line), bcrypt.gensalt(salt_cost)).decode() for line in lines]
    elif command == "bcrypt-check":
        import bcrypt
        for line in lines:
            password, hashed = line.split(" ")
            answers.append("1" if bcrypt.checkpw(bytes.fromhex(password), hashed.encode()) else "0")
    elif command == "crypt-hash":
        import bcrypt
        crypt = load_crypt()
        for line in lines:
            password, prefix = line.split(" ")
            # pyca/bcrypt only supplies 16 random salt bytes in bcrypt's alphabet; crypt(3) hashes.
            setting = b"$" + prefix.encode() + bcrypt.gensalt(int(argument))[3:]
            answers.append(crypt(bytes.fromhex(password), setting).decode())
    elif command == "crypt-check":
        crypt = load_crypt()
        for line in lines:
            password, hashed = line.split(" ")
            answers.append("1" if crypt(bytes.fromhex(password), hashed.encode()) == hashed.encode() else "0")
    elif command == "jwt-decode":
        import jwt
        secret = bytes.fromhex(argument)
        for line in lines:
            token, *audience = line.split(" ")
            options = {"audience": audience[0]} if audience else {}
            answers.append(json.dumps(jwt.decode(token, secret, algorithms=["HS256"], **options), sort_keys=True))
    elif command == "jwt-encode":
        import jwt
        secret = bytes.fromhex(argument)
        answers = [jwt.encode(json.loads(line), secret, algorithm="HS256") for line in lines]
    elif command == "jws-decode":
        import jwt
        keys = jwt.PyJWKSet.from_json(argument)
        for line in lines:
            token, *audience = line.split(" ")
            key = keys[jwt.get_unverified_header(token)["kid"]]
            options = {"audience": audience[0]} if audience else {}
            claims = jwt.decode(token, key.key, algorithms=[key.algorithm_name], **options)
            answers.append(json.dumps(claims, sort_keys=True))
    elif command == "jws-encode":
        import jwt
        from cryptography.hazmat.primitives.serialization import load_pem_private_key
        key = load_pem_private_key(bytes.fromhex(argument), password=None)
        for line in lines:
            kid, claims = line.split(" ", 1)
            answers.append(jwt.encode(json.loads(claims), key, algorithm=jws_algorithm(key), headers={"kid": kid}))
    elif command == "sig-sign":
        from cryptography.hazmat.primitives.serialization import load_pem_private_key
        key = load_pem_private_key(bytes.fromhex(argument), password=None)
        answers = [sign(key, bytes.fromhex(line)).hex() for line in lines]
    elif command == "sig-verify":
        from cryptography.hazmat.primitives.serialization import load_pem_public_key
        key = load_pem_public_key(bytes.fromhex(argument))
        for line in lines:
            message, signature = line.split(" ")
            answers.append("1" if verify(key, bytes.fromhex(message), bytes.fromhex(signature)) else "0")
    elif command == "key-generate":
        from cryptography.hazmat.primitives import serialization
        from jwt.algorithms import get_default_algorithms
        for line in lines:
            key = generate(line)
            pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
            jwk = get_default_algorithms()[line].to_jwk(key.public_key())
            answers.append(pem.hex() + " " + json.dumps(json.loads(jwk), separators=(",", ":")))
    else:
        sys.exit(f"unknown command {command}")
    sys.stdout.write("".join(answer + "\n" for answer in answers))


if __name__ == "__main__":
    main()
