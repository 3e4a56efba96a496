"""Tokens, password hashing, address truncation, device labels."""

from __future__ import annotations

import warnings

import anyio
import pytest
from cryptography.fernet import Fernet

from app.auth.passwords import common_passwords, password_problem
from app.core.config import Settings
from app.core.security import (
    TokenError,
    configure_password_hasher,
    create_token,
    decode_token,
    hash_password,
    truncate_ip,
    user_agent_label,
    verify_password,
)


@pytest.fixture
def settings() -> Settings:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Settings(  # type: ignore[call-arg]
            _env_file=None,
            environment="test",
            secret_key="unit-" + "z" * 40,
            encryption_keys=Fernet.generate_key().decode(),
        )


def test_token_round_trip_and_type(settings: Settings) -> None:
    token, _exp = create_token(settings, user_id="u1", session_id="s1", is_guest=True)
    claims = decode_token(settings, token)
    assert (claims.user_id, claims.session_id, claims.is_guest) == ("u1", "s1", True)
    with pytest.raises(TokenError) as exc:
        decode_token(settings, token, expected_type="mfa")
    assert exc.value.reason == "wrong_type"
    expired, _ = create_token(settings, user_id="u1", session_id="s1", ttl=-30)
    with pytest.raises(TokenError) as exc:
        decode_token(settings, expired)
    assert exc.value.reason == "expired"
    with pytest.raises(TokenError):
        decode_token(settings, token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))


def test_password_hash_and_rehash() -> None:
    async def run() -> None:
        configure_password_hasher(time_cost=1, memory_kib=1024)
        h = await hash_password("Duck-pond-Sunrise-42")
        assert h.startswith("$argon2id$")
        assert await verify_password("Duck-pond-Sunrise-42", h) == (True, None)
        assert (await verify_password("wrong", h))[0] is False
        assert (await verify_password("anything", None)) == (False, None)
        configure_password_hasher(time_cost=2, memory_kib=2048)
        ok, new_hash = await verify_password("Duck-pond-Sunrise-42", h)
        assert ok and new_hash and "m=2048" in new_hash

    anyio.run(run)


def test_common_list_and_policy() -> None:
    assert len(common_passwords()) > 1000
    assert "woaini1314" in common_passwords()
    assert password_problem("Password123", min_length=10) == (
        "too_common: this password is on a list of commonly used passwords"
    )
    assert password_problem("duckowner-likes-tea", min_length=10, email="duckowner@example.org")
    assert password_problem("Quiet-Lake-Morning-7", min_length=10) is None


def test_truncate_ip_and_labels() -> None:
    assert truncate_ip("203.0.113.77") == "203.0.113.0/24"
    assert truncate_ip("2001:db8:1234:5678::1") == "2001:db8:1234::/48"
    assert truncate_ip("not-an-ip") is None
    assert user_agent_label("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) MicroMessenger/8.0") == (
        "WeChat on iOS"
    )
    assert user_agent_label(None) is None
