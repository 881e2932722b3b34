"""Signing keys for the interop tests: key files written by `authserver keys generate`, servers
that sign with them, and tokens crafted byte by byte with `cryptography` (PyJWT refuses to build
most of the tokens an attacker would send)."""
import base64
import hashlib
import hmac
import json
import os
import subprocess
import time
import uuid
from pathlib import Path

import jwt
import requests
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from conftest import Server

ALGORITHMS = ["EdDSA", "ES256", "RS256"]
JWKS_PATH = "/.well-known/jwks.json"


def generate_key(directory: Path, algorithm: str, name: str | None = None) -> tuple[Path, str]:
    """A new key file from our own CLI, and the kid it printed."""
    path = Path(directory) / (name or f"{algorithm.lower()}-{uuid.uuid4().hex[:8]}.pem")
    done = subprocess.run([os.environ["AUTHSERVER_BINARY"], "keys", "generate", "--algorithm", algorithm, "--out", str(path)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return path, done.stdout.strip()


def signing_server(directory: Path, algorithm: str, **settings: str) -> tuple[Server, Path, str]:
    """A server signing with a fresh key file; JWT_ACCESS_SECRET stays set (and unused), as after a switch from HS256."""
    path, kid = generate_key(directory, algorithm)
    return Server(JWT_ALGORITHM=algorithm, JWT_PRIVATE_KEY_FILE=str(path), **settings), path, kid


def load_private_key(path: Path):
    return serialization.load_pem_private_key(Path(path).read_bytes(), password=None)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def public_jwk(public_key) -> dict:
    if isinstance(public_key, ed25519.Ed25519PublicKey):
        return json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(public_key))
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        return json.loads(jwt.algorithms.ECAlgorithm.to_jwk(public_key))
    return json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(public_key))


def thumbprint(public_key) -> str:
    """RFC 7638: SHA-256 of the required members, sorted, without whitespace."""
    jwk = public_jwk(public_key)
    required = {"OKP": ["crv", "kty", "x"], "EC": ["crv", "kty", "x", "y"], "RSA": ["e", "kty", "n"]}[jwk["kty"]]
    canonical = json.dumps({name: jwk[name] for name in required}, separators=(",", ":"), sort_keys=True)
    return b64url(hashlib.sha256(canonical.encode()).digest())


def signature(private_key, message: bytes, *, der: bool = False) -> bytes:
    """The JWS signature of `message`: ES256 as r || s unless `der` asks for OpenSSL's own X9.62 form."""
    if isinstance(private_key, ed25519.Ed25519PrivateKey):
        return private_key.sign(message)
    if isinstance(private_key, ec.EllipticCurvePrivateKey):
        encoded = private_key.sign(message, ec.ECDSA(hashes.SHA256()))
        if der:
            return encoded
        r, s = decode_dss_signature(encoded)
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")
    assert isinstance(private_key, rsa.RSAPrivateKey)
    return private_key.sign(message, padding.PKCS1v15(), hashes.SHA256())


def compact(header: dict, claims: dict, sign) -> str:
    """header.payload.signature, `sign` applied to the signing input's bytes."""
    signing_input = (b64url(json.dumps(header, separators=(",", ":")).encode()) + "."
                     + b64url(json.dumps(claims, separators=(",", ":")).encode()))
    return signing_input + "." + b64url(sign(signing_input.encode()))


def hs256(key: bytes):
    return lambda message: hmac.new(key, message, hashlib.sha256).digest()


def fresh_claims(access_token: str) -> dict:
    """The claims of one of our tokens, re-issued now: the same user and live session."""
    claims = jwt.decode(access_token, options={"verify_signature": False})
    now = int(time.time())
    return {**claims, "iat": now, "exp": now + 120, "jti": str(uuid.uuid4())}


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def verify_token(server: Server, token: str) -> requests.Response:
    return requests.get(server.url + "/api/auth/verify-token", headers=bearer(token), timeout=10)


def me(server: Server, token: str) -> requests.Response:
    return requests.get(server.url + "/api/auth/me", headers=bearer(token), timeout=10)


def assert_refused(server: Server, token: str) -> None:
    """401 INVALID_TOKEN on the token-only route and on one that reads the database."""
    for response in (verify_token(server, token), me(server, token)):
        assert response.status_code == 401, response.text
        assert response.json()["code"] == "INVALID_TOKEN", response.text


def assert_accepted(server: Server, token: str) -> None:
    for response in (verify_token(server, token), me(server, token)):
        assert response.status_code == 200, response.text
