"""Encryption at rest for user-authored text (message text, practice notes, keywords).

``ENCRYPTION_KEYS`` is a comma-separated list of Fernet keys: the first encrypts, all decrypt, so a key
can be rotated by prepending a new one, running ``duck keys rotate`` and later dropping the old one.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from app.core.config import get_settings


class DecryptionError(RuntimeError):
    """Stored ciphertext could not be decrypted with any configured key."""


class _Keyring:
    fernet: MultiFernet | None = None


_keyring = _Keyring()


def configure_encryption(keys: list[bytes]) -> None:
    if not keys:
        raise ValueError("at least one encryption key is required")
    _keyring.fernet = MultiFernet([Fernet(k) for k in keys])


def _fernet() -> MultiFernet:
    if _keyring.fernet is None:
        configure_encryption(get_settings().fernet_keys)
    assert _keyring.fernet is not None
    return _keyring.fernet


def encrypt_text(value: str) -> str:
    return _fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError) as exc:
        raise DecryptionError("stored text cannot be decrypted with the configured ENCRYPTION_KEYS") from exc


def rotate_token(token: str) -> str:
    """Re-encrypt a stored token under the current (first) key."""
    return _fernet().rotate(token.encode("ascii")).decode("ascii")


def keyed_hash(value: str, *, secret: str, purpose: str) -> str:
    """Deterministic HMAC-SHA256 for look-ups of secrets we must not store (tokens, codes, e-mails)."""
    key = hashlib.sha256(f"{purpose}:{secret}".encode()).digest()
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


class EncryptedText(TypeDecorator[str]):
    """A Text column holding Fernet ciphertext; Python sees plain ``str``."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return encrypt_text(str(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return decrypt_text(value)


class EncryptedJSON(TypeDecorator[Any]):
    """JSON-serialisable value stored encrypted (e.g. keyword lists: they are the user's words)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return encrypt_text(json.dumps(value, ensure_ascii=False))

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        return json.loads(decrypt_text(value))
