"""Encryption at rest with a rotating key list; keyed hashes."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from app.core import crypto


@pytest.fixture(autouse=True)
def _reset() -> None:
    yield
    crypto._keyring.fernet = None


def test_round_trip_and_ciphertext_is_opaque() -> None:
    crypto.configure_encryption([Fernet.generate_key()])
    token = crypto.encrypt_text("我今天很难过")
    assert "难过" not in token and token.startswith("gAAAA")
    assert crypto.decrypt_text(token) == "我今天很难过"
    assert crypto.encrypt_text("same") != crypto.encrypt_text("same")  # random IV


def test_rotation() -> None:
    old, new = Fernet.generate_key(), Fernet.generate_key()
    crypto.configure_encryption([old])
    token = crypto.encrypt_text("旧的秘密")
    crypto.configure_encryption([new, old])  # new key first: encrypts; old still decrypts
    assert crypto.decrypt_text(token) == "旧的秘密"
    rotated = crypto.rotate_token(token)
    crypto.configure_encryption([new])  # old key dropped
    assert crypto.decrypt_text(rotated) == "旧的秘密"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_text(token)


def test_type_decorators() -> None:
    crypto.configure_encryption([Fernet.generate_key()])
    t = crypto.EncryptedText()
    stored = t.process_bind_param("笔记", None)  # type: ignore[arg-type]
    assert stored and "笔记" not in stored
    assert t.process_result_value(stored, None) == "笔记"  # type: ignore[arg-type]
    j = crypto.EncryptedJSON()
    stored = j.process_bind_param(["睡不着", "压力"], None)  # type: ignore[arg-type]
    assert stored and "压力" not in stored
    assert j.process_result_value(stored, None) == ["睡不着", "压力"]  # type: ignore[arg-type]
    assert t.process_bind_param(None, None) is None  # type: ignore[arg-type]


def test_keyed_hash_is_purpose_bound() -> None:
    a = crypto.keyed_hash("x@example.org", secret="k" * 32, purpose="login")
    b = crypto.keyed_hash("x@example.org", secret="k" * 32, purpose="recovery")
    assert a != b and len(a) == 64
