"""Write a throwaway vault for ``make check-inventory``: every ``<CHANGE-ME …>`` of an inventory's
vault.yml.example replaced by a random value of the same shape (URL, e-mail address, host:port, Fernet key,
PEM CA), so the roles' preflight assertions run against a committed example. Never deploy with it.

    throwaway_vault.py inventories/<env>/group_vars/all/vault.yml.example OUT.yml
"""

from __future__ import annotations

import base64
import datetime
import re
import secrets
import sys
from pathlib import Path
from typing import Any

import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

PLACEHOLDER = re.compile(r"CHANGE-?ME", re.IGNORECASE)


def _ca() -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "throwaway check-inventory CA")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(key, hashes.SHA256())
    )
    pem_key = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode(), pem_key.decode()


def fill(example: dict[str, Any]) -> dict[str, Any]:
    cert, key = _ca()
    out: dict[str, Any] = {}
    for name, value in example.items():
        if isinstance(value, list):
            out[name] = [base64.urlsafe_b64encode(secrets.token_bytes(32)).decode() for _ in value]
        elif not isinstance(value, str) or not PLACEHOLDER.search(value):
            out[name] = value  # optional entries (empty in the example) stay as they are
        elif "BEGIN CERTIFICATE" in value:
            out[name] = cert
        elif "PRIVATE KEY" in value:
            out[name] = key
        elif "://" in value:
            out[name] = f"https://throwaway.invalid/{secrets.token_hex(8)}"
        elif "@" in value:
            out[name] = f"check-{secrets.token_hex(4)}@throwaway.invalid"
        elif re.search(r":\d+", value):
            out[name] = "smtp.throwaway.invalid:587"
        else:
            out[name] = secrets.token_urlsafe(32)
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    example = yaml.safe_load(Path(argv[1]).read_text(encoding="utf-8")) or {}
    out = Path(argv[2])
    out.touch(mode=0o600)
    out.write_text(yaml.safe_dump(fill(example), sort_keys=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
