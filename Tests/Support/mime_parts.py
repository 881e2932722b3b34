#!/usr/bin/env python3
"""Reads a received message with Python's email package, an implementation the Outbound
tests did not write, and prints what a mail reader would see, as JSON:

    mime_parts.py < message.eml

{"headers": {name: decoded value}, "content_type", "parts": [{"content_type", "charset",
"transfer_encoding", "text"}], "defects": [...]}
"""

import email
import email.policy
import json
import sys


def main():
    message = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)
    parts = [
        {
            "content_type": part.get_content_type(),
            "charset": part.get_content_charset(),
            "transfer_encoding": part.get("Content-Transfer-Encoding"),
            # get_content() keeps the CRLF of the wire; a reader shows lines either way.
            "text": part.get_content().replace("\r\n", "\n"),
        }
        for part in message.iter_parts()
    ]
    defects = [type(defect).__name__ for part in message.walk() for defect in part.defects]
    json.dump({
        "headers": {name: str(value) for name, value in message.items()},
        "content_type": message.get_content_type(),
        "parts": parts,
        "defects": defects,
    }, sys.stdout)


if __name__ == "__main__":
    main()
