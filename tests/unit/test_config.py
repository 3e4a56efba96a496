"""Settings: defaults, CSV parsing, refusal of placeholder secrets outside development."""

from __future__ import annotations

import warnings

import pytest
from cryptography.fernet import Fernet

from app.core.config import ConfigError, Settings, load_settings, normalise_database_url

GOOD = {
    "secret_key": "s" * 12 + "-real-secret-value-for-tests-0123",
    "encryption_keys": Fernet.generate_key().decode(),
}


def make(**kw: object) -> Settings:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_settings(_env_file=None, **kw)


def test_development_defaults_generate_ephemeral_secrets() -> None:
    with pytest.warns(RuntimeWarning, match="SECRET_KEY"):
        s = load_settings(_env_file=None, environment="development")
    assert len(s.secret) >= 32
    assert len(s.fernet_keys) == 1
    assert s.database_url.startswith("sqlite+aiosqlite:///")
    assert s.docs_enabled
    assert s.rate_limits["chat"] == "60/minute" and s.rate_limits["reports"] == "10/minute"


@pytest.mark.parametrize("env", ["production", "staging", "test"])
@pytest.mark.parametrize("secret", [None, "", "change-me", "CHANGEME", "<vault>", "short"])
def test_placeholder_secret_stops_startup(env: str, secret: str | None) -> None:
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        make(environment=env, secret_key=secret, encryption_keys=GOOD["encryption_keys"])


def test_bad_encryption_key_stops_startup() -> None:
    with pytest.raises(ConfigError, match="ENCRYPTION_KEYS"):
        make(environment="production", secret_key=GOOD["secret_key"], encryption_keys="change-me")
    with pytest.raises(ConfigError, match="entry #2"):
        make(
            environment="production",
            secret_key=GOOD["secret_key"],
            encryption_keys=GOOD["encryption_keys"] + ",bm90LWEta2V5",
        )


def test_production_docs_off_unless_enabled() -> None:
    s = make(environment="production", **GOOD)
    assert not s.docs_enabled and not s.content_served_by_app
    assert make(environment="production", enable_docs=True, **GOOD).docs_enabled


def test_csv_and_rate_limit_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLOWED_ORIGINS", "https://a.example, https://b.example")
    monkeypatch.setenv("DATABASE_READ_URLS", "postgresql://u:p@r1/db,postgresql://u:p@r2/db")
    monkeypatch.setenv("RATE_LIMITS", "chat=5/second")
    s = make(environment="production", **GOOD)
    assert s.allowed_origins == ["https://a.example", "https://b.example"]
    assert s.database_read_urls == ["postgresql+psycopg://u:p@r1/db", "postgresql+psycopg://u:p@r2/db"]
    assert s.rate_limits["chat"] == "5/second" and s.rate_limits["emotions"] == "30/minute"
    monkeypatch.setenv("RATE_LIMITS", "chat=lots")
    with pytest.raises(ConfigError, match="RATE_LIMITS"):
        make(environment="production", **GOOD)


def test_key_list_first_is_current() -> None:
    k1, k2 = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    s = make(environment="production", secret_key=GOOD["secret_key"], encryption_keys=f"{k1}, {k2}")
    assert s.fernet_keys == [k1.encode(), k2.encode()]


def test_multi_host_url() -> None:
    assert normalise_database_url(
        "postgresql://duck:pw@10.0.0.1:5432,10.0.0.2:5432,10.0.0.3:5432/duck?target_session_attrs=read-write&sslmode=verify-full"
    ) == (
        "postgresql+psycopg://duck:pw@/duck?host=10.0.0.1:5432&host=10.0.0.2:5432&host=10.0.0.3:5432"
        "&target_session_attrs=read-write&sslmode=verify-full"
    )
