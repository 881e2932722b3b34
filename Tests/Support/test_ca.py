#!/usr/bin/env python3
"""Makes a throwaway certificate authority and a server certificate it signed, for the
Outbound tests' TLS servers.

    test_ca.py DIR

writes into DIR (created if missing):
    ca.pem           the CA certificate, to trust through an extra CA file
    server-cert.pem  a certificate for localhost, 127.0.0.1 and ::1, valid for a day
    server-key.pem   its private key (unencrypted)
    hashed/          ca.pem again, named by OpenSSL subject hash (`openssl rehash`), for use
                     as a CA directory like /etc/ssl/certs

Keys are P-256: quick to make, and what every TLS stack takes.
"""

import datetime
import ipaddress
import os
import shutil
import subprocess
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def pem(certificate):
    return certificate.public_bytes(serialization.Encoding.PEM)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: test_ca.py DIR")
    directory = sys.argv[1]
    os.makedirs(directory, exist_ok=True)
    now = datetime.datetime.now(datetime.timezone.utc)
    validity = (now - datetime.timedelta(hours=1), now + datetime.timedelta(days=1))

    ca_key = ec.generate_private_key(ec.SECP256R1())
    # A unique subject per CA: two test CAs in one trust store must not shadow each other.
    ca_name = name(f"authserver test CA {os.urandom(4).hex()}")
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(validity[0])
        .not_valid_after(validity[1])
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    server_key = ec.generate_private_key(ec.SECP256R1())
    server = (
        x509.CertificateBuilder()
        .subject_name(name("localhost"))
        .issuer_name(ca_name)
        .public_key(server_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(validity[0])
        .not_valid_after(validity[1])
        .add_extension(
            x509.SubjectAlternativeName([
                x509.DNSName("localhost"),
                x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                x509.IPAddress(ipaddress.ip_address("::1")),
            ]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )

    with open(os.path.join(directory, "ca.pem"), "wb") as file:
        file.write(pem(ca))
    with open(os.path.join(directory, "server-cert.pem"), "wb") as file:
        file.write(pem(server))
    key_path = os.path.join(directory, "server-key.pem")
    with open(os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as file:
        file.write(server_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ))

    hashed = os.path.join(directory, "hashed")
    os.makedirs(hashed, exist_ok=True)
    shutil.copy(os.path.join(directory, "ca.pem"), hashed)
    subprocess.run(["openssl", "rehash", hashed], check=True)


if __name__ == "__main__":
    main()
