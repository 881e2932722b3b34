#!/usr/bin/env python3
"""Reference side of AuthCrypto's interop tests: pyca/bcrypt, libxcrypt's crypt(3) and PyJWT.

Usage: crypto-interop.py COMMAND [ARG], one request per stdin line, one answer per stdout line
(batched so a test starts one process per direction). Passwords and secrets travel as hex.

  bcrypt-hash COST     hexpassword            -> pyca/bcrypt $2b$ hash
  bcrypt-check         hexpassword hash       -> 1 or 0 (pyca/bcrypt checkpw)
  crypt-hash COST      hexpassword prefix     -> crypt(3) hash with a fresh salt, prefix 2a/2b/2y
  crypt-check          hexpassword hash       -> 1 or 0 (crypt(3) reproduces the hash)
  jwt-decode HEXSECRET token [audience]       -> claims as JSON (jwt.decode, HS256 only)
  jwt-encode HEXSECRET claims-json            -> HS256 token (jwt.encode)

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
    else:
        sys.exit(f"unknown command {command}")
    sys.stdout.write("".join(answer + "\n" for answer in answers))


if __name__ == "__main__":
    main()
