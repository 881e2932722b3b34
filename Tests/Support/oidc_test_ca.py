"""A throwaway certificate authority for tests that need real TLS on loopback.

Generic (nothing in it is OIDC-specific); named `oidc_test_ca` only so that it does not collide
with another branch's `test_ca.py`. A test makes a CA in a temporary directory, issues a server
certificate for `localhost` / `127.0.0.1` / `::1`, gives the server the certificate and key, and
gives the client (authserver's `EXTRA_CA_FILE`, `requests`' `verify=`) the CA file. Nothing is
ever added to the system's trust store.

    ca = TestCA.create(tmp_path)                    # writes ca.pem (+ ca-key.pem)
    cert, key = ca.issue_server_cert(tmp_path)      # server.pem, server-key.pem
    requests.get(url, verify=str(ca.cert_file))

Command line: `python oidc_test_ca.py DIR [--name localhost ...]` writes all four files and
prints their paths as JSON.
"""
from __future__ import annotations

import argparse
import datetime as dt
import ipaddress
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DEFAULT_NAMES = ("localhost", "127.0.0.1", "::1")


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)


def _san(names: tuple[str, ...] | list[str]) -> x509.SubjectAlternativeName:
    entries: list[x509.GeneralName] = []
    for name in names:
        try:
            entries.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            entries.append(x509.DNSName(name))
    return x509.SubjectAlternativeName(entries)


@dataclass
class TestCA:
    """A CA certificate and key on disk (P-256 keys: fast to make, accepted everywhere)."""

    __test__ = False  # not a pytest test class, despite the name

    cert_file: Path
    key_file: Path
    cert: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    @classmethod
    def create(cls, directory: Path | str, common_name: str = "authserver test CA") -> "TestCA":
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
        now = dt.datetime.now(dt.timezone.utc)
        cert = (x509.CertificateBuilder()
                .subject_name(name).issuer_name(name)
                .public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(now - dt.timedelta(minutes=5))
                .not_valid_after(now + dt.timedelta(days=2))
                .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                             content_commitment=False, key_encipherment=False,
                                             data_encipherment=False, key_agreement=False,
                                             encipher_only=False, decipher_only=False), critical=True)
                .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
                .sign(key, hashes.SHA256()))
        cert_file, key_file = directory / "ca.pem", directory / "ca-key.pem"
        cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        _write_key(key_file, key)
        return cls(cert_file, key_file, cert, key)

    def issue_server_cert(self, directory: Path | str, names: tuple[str, ...] | list[str] = DEFAULT_NAMES,
                          stem: str = "server", days: float = 2) -> tuple[Path, Path]:
        """A leaf certificate for `names` (DNS names or IP addresses); returns (cert, key) paths.

        The certificate file holds the leaf only: clients get the CA from `cert_file`. A negative
        `days` makes an already-expired certificate, for tests of certificate checks.
        """
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        key = ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(dt.timezone.utc)
        start, end = (now - dt.timedelta(minutes=5), now + dt.timedelta(days=days)) if days > 0 \
            else (now - dt.timedelta(days=2), now + dt.timedelta(days=days))
        cert = (x509.CertificateBuilder()
                .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
                .issuer_name(self.cert.subject)
                .public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(start).not_valid_after(end)
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(_san(names), critical=False)
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
                .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()),
                               critical=False)
                .sign(self.key, hashes.SHA256()))
        cert_file, key_file = directory / f"{stem}.pem", directory / f"{stem}-key.pem"
        cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        _write_key(key_file, key)
        return cert_file, key_file


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory")
    parser.add_argument("--name", action="append", help="DNS name or IP for the server certificate "
                        "(repeatable; default localhost, 127.0.0.1, ::1)")
    args = parser.parse_args()
    ca = TestCA.create(args.directory)
    cert, key = ca.issue_server_cert(args.directory, args.name or DEFAULT_NAMES)
    print(json.dumps({"ca": str(ca.cert_file), "ca_key": str(ca.key_file), "cert": str(cert), "key": str(key)}))


if __name__ == "__main__":
    main()
