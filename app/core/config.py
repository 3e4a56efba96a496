"""Settings from the environment (and an optional ``.env``), validated once at start-up.

Every variable is documented in ``.env.example`` and docs/app.md. Outside ``ENVIRONMENT=development``
a missing or placeholder ``SECRET_KEY`` / ``ENCRYPTION_KEYS`` stops start-up with a clear message; in
development ephemeral values are generated (with a warning) so that a fresh clone just runs.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from cryptography.fernet import Fernet
from limits import parse as parse_limit
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

Environment = Literal["development", "test", "staging", "production"]

#: Values that are obviously not real secrets (case-insensitive): whole values and prefixes.
PLACEHOLDER_VALUES = frozenset({"secret", "password", "example", "xxx", "none", "null", "dev", "test"})
PLACEHOLDER_PREFIXES = ("change", "replace", "placeholder", "your-", "your_", "todo", "<", "vault_", "{{")

DEFAULT_RATE_LIMITS = {
    "chat": "60/minute",
    "emotions": "30/minute",
    "content": "20/minute",
    "reports": "10/minute",
    "therapy": "30/minute",
    "auth": "20/minute",
    "privacy": "5/minute",
}

PACKAGE_DIR = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """Raised when the configuration is unusable; the message says what to fix."""


def _is_placeholder(value: str) -> bool:
    v = value.strip().lower()
    if not v:
        return True
    return v in PLACEHOLDER_VALUES or v.startswith(PLACEHOLDER_PREFIXES)


def _split_csv(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


def parse_fernet_keys(raw: str) -> list[bytes]:
    """Parse a comma-separated list of Fernet keys; raise ValueError naming the bad position."""
    keys: list[bytes] = []
    for pos, item in enumerate(_split_csv(raw), start=1):
        try:
            decoded = base64.urlsafe_b64decode(item.encode())
        except (binascii.Error, ValueError) as exc:
            raise ValueError(f"ENCRYPTION_KEYS entry #{pos} is not url-safe base64") from exc
        if len(decoded) != 32:
            raise ValueError(
                f"ENCRYPTION_KEYS entry #{pos} must be a Fernet key (32 bytes url-safe base64, "
                "generate one with `duck keys generate`)"
            )
        keys.append(item.encode())
    return keys


class Settings(BaseSettings):
    """All runtime configuration. Environment variable names are the upper-case field names."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=False,
        validate_default=True,
    )

    # --- general -----------------------------------------------------------------------------
    environment: Environment = "development"
    debug: bool = False
    log_level: str = "INFO"
    log_format: Literal["json", "console"] = "json"
    app_name: str = "心理鸭"
    api_prefix: str = "/api/v1"
    enable_docs: bool | None = Field(
        default=None, description="Serve /docs and /openapi.json (default: on except in production)"
    )

    # --- secrets -----------------------------------------------------------------------------
    secret_key: SecretStr | None = None
    encryption_keys: SecretStr | None = None
    openai_api_key: SecretStr | None = None
    anthropic_api_key: SecretStr | None = None
    duck_llm: str = "local"

    # --- database ----------------------------------------------------------------------------
    database_url: str = "sqlite+aiosqlite:///./var/duck.db"
    database_read_urls: Annotated[list[str], NoDecode] = Field(default_factory=list)
    database_pool_size: int = Field(default=10, ge=1, le=200)
    database_max_overflow: int = Field(default=10, ge=0, le=200)
    database_pool_timeout: float = Field(default=10.0, gt=0)
    database_pool_recycle: int = Field(default=1800, ge=-1)
    database_connect_timeout: int = Field(default=5, ge=1, le=120)
    database_statement_timeout_ms: int = Field(default=15000, ge=0)
    database_replica_retry_seconds: float = Field(default=30.0, ge=0)
    #: client-side bound per database round trip (s); 0 disables. Covers a frozen host.
    database_query_timeout: float = Field(default=20.0, ge=0)
    database_echo: bool = False
    #: apply migrations at start-up (default: only in development on SQLite, so a fresh clone just runs)
    auto_migrate: bool | None = None

    # --- redis -------------------------------------------------------------------------------
    redis_url: str | None = None
    redis_socket_timeout: float = 2.0

    # --- http --------------------------------------------------------------------------------
    allowed_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["http://localhost:3000", "http://localhost:5173"]
    )
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    max_message_chars: int = Field(default=2000, ge=1)
    rate_limit_enabled: bool = True
    rate_limits: Annotated[dict[str, str], NoDecode] = Field(
        default_factory=lambda: dict(DEFAULT_RATE_LIMITS)
    )
    metrics_token: SecretStr | None = None

    # --- chat safety and deadline ---------------------------------------------------------------
    #: the crisis gate reads up to this many earlier user messages of the session ...
    chat_context_messages: int = Field(default=5, ge=0, le=20)
    #: ... sent within this many minutes before the new one
    chat_context_minutes: float = Field(default=30.0, gt=0)
    #: careful mode: after a crisis reply the next N messages of the session run the crew with the
    #: safety instruction and end with the resource line (as for ``elevated``), whatever the gate says
    chat_careful_messages: int = Field(default=3, ge=0, le=50)
    #: one budget (s) per chat message across every agent and retry; past it the offline engine answers.
    #: Keep it well under the load balancer's proxy_read_timeout (the nginx role derives it from this).
    chat_deadline_seconds: float = Field(default=25.0, gt=0, le=300)
    #: a second opinion from the hosted LLM (DUCK_LLM not local) in parallel with the crew: it can only
    #: raise the level and never delays the reply (a late or failed answer is ignored)
    safety_second_opinion: bool = False
    #: the second opinion's own time box (s); it is also cut short when the crew is done
    safety_second_opinion_timeout: float = Field(default=8.0, gt=0, le=60)

    # --- auth --------------------------------------------------------------------------------
    access_token_ttl: int = Field(default=900, ge=30, description="seconds")
    refresh_token_ttl: int = Field(default=30 * 24 * 3600, ge=60, description="seconds")
    mfa_token_ttl: int = Field(default=300, ge=30)
    jwt_algorithm: Literal["HS256", "HS384", "HS512"] = "HS256"
    jwt_issuer: str = "psych-duck"
    jwt_audience: str = "psych-duck-api"
    password_min_length: int = Field(default=10, ge=8)
    password_hash_time_cost: int = Field(default=2, ge=1)
    password_hash_memory_kib: int = Field(default=19456, ge=8)
    password_hash_parallelism: int = Field(default=1, ge=1)
    login_backoff_threshold: int = Field(default=5, ge=1)
    login_backoff_window_seconds: int = Field(default=900, ge=1)
    login_backoff_max_seconds: int = Field(default=900, ge=1)
    mfa_issuer: str = "心理鸭 Psych Duck"

    # --- content -----------------------------------------------------------------------------
    content_dir: Path = PACKAGE_DIR / "content" / "library"
    content_url_prefix: str = "/media"
    serve_content: bool | None = None

    # ------------------------------------------------------------------------------------------
    @field_validator("database_read_urls", "allowed_origins", mode="before")
    @classmethod
    def _csv(cls, value: Any) -> Any:
        return _split_csv(value)

    @field_validator("rate_limits", mode="before")
    @classmethod
    def _rate_limits(cls, value: Any) -> Any:
        merged = dict(DEFAULT_RATE_LIMITS)
        if isinstance(value, str):
            for item in _split_csv(value):
                name, sep, limit = item.partition("=")
                if not sep or not name.strip() or not limit.strip():
                    raise ValueError(f"RATE_LIMITS entry {item!r} must look like name=60/minute")
                merged[name.strip()] = limit.strip()
            return merged
        if isinstance(value, dict):
            merged.update(value)
            return merged
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _log_level(cls, value: Any) -> Any:
        return str(value).upper() if value is not None else "INFO"

    @field_validator("database_url", mode="before")
    @classmethod
    def _db_url(cls, value: Any) -> Any:
        if isinstance(value, str):
            return normalise_database_url(value)
        return value

    @model_validator(mode="after")
    def _check_secrets(self) -> Settings:
        for name, limit in self.rate_limits.items():
            try:
                parse_limit(limit)
            except ValueError as exc:
                raise ValueError(f"RATE_LIMITS[{name}]={limit!r} is not a valid rate limit") from exc
        self.database_read_urls = [normalise_database_url(u) for u in self.database_read_urls]

        problems: list[str] = []
        secret = self.secret_key.get_secret_value() if self.secret_key else ""
        if _is_placeholder(secret) or len(secret) < 32:
            if self.environment == "development":
                warnings.warn(
                    "SECRET_KEY not set: using an ephemeral key (tokens die with the process)",
                    RuntimeWarning,
                    stacklevel=2,
                )
                self.secret_key = SecretStr(secrets.token_urlsafe(48))
            else:
                problems.append("SECRET_KEY is missing, a placeholder or shorter than 32 characters")
        keys_raw = self.encryption_keys.get_secret_value() if self.encryption_keys else ""
        if not _split_csv(keys_raw) or any(_is_placeholder(k) for k in _split_csv(keys_raw)):
            if self.environment == "development":
                warnings.warn(
                    "ENCRYPTION_KEYS not set: using an ephemeral key "
                    "(stored text is unreadable after a restart)",
                    RuntimeWarning,
                    stacklevel=2,
                )
                self.encryption_keys = SecretStr(Fernet.generate_key().decode())
            else:
                problems.append("ENCRYPTION_KEYS is missing or a placeholder (comma-separated Fernet keys)")
        else:
            try:
                parse_fernet_keys(keys_raw)
            except ValueError as exc:
                problems.append(str(exc))
        if problems:
            raise ValueError(
                f"refusing to start with ENVIRONMENT={self.environment}: "
                + "; ".join(problems)
                + " — set them in the environment (see .env.example)"
            )
        return self

    # ------------------------------------------------------------------------------------------
    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def docs_enabled(self) -> bool:
        if self.enable_docs is not None:
            return self.enable_docs
        return not self.is_production

    @property
    def content_served_by_app(self) -> bool:
        if self.serve_content is not None:
            return self.serve_content
        return self.environment in ("development", "test")

    @property
    def fernet_keys(self) -> list[bytes]:
        assert self.encryption_keys is not None
        return parse_fernet_keys(self.encryption_keys.get_secret_value())

    @property
    def secret(self) -> str:
        assert self.secret_key is not None
        return self.secret_key.get_secret_value()

    @property
    def migrate_on_start(self) -> bool:
        if self.auto_migrate is not None:
            return self.auto_migrate
        return self.environment == "development" and self.is_sqlite

    @property
    def second_opinion_enabled(self) -> bool:
        """SAFETY_SECOND_OPINION with a hosted LLM configured (DUCK_LLM is not ``local``)."""
        return self.safety_second_opinion and self.duck_llm.strip() not in ("", "local", "offline")

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def normalise_database_url(url: str) -> str:
    """Pick async drivers and turn libpq multi-host netlocs into SQLAlchemy's ``host=`` form.

    ``postgresql://u:p@h1:5432,h2:5432/db?target_session_attrs=read-write`` becomes
    ``postgresql+psycopg://u:p@/db?host=h1:5432&host=h2:5432&target_session_attrs=read-write``:
    libpq then tries the hosts in order and keeps the one that accepts writes.
    """
    url = url.strip()
    if url.startswith(("postgres://", "postgresql://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    elif url.startswith("sqlite://") and not url.startswith("sqlite+"):
        url = "sqlite+aiosqlite://" + url.split("://", 1)[1]
    if not url.startswith("postgresql+"):
        return url
    scheme, rest = url.split("://", 1)
    netloc, _slash, tail = rest.partition("/")
    creds, at, hosts = netloc.rpartition("@")
    if "," not in hosts:
        return url
    path, _qmark, query = tail.partition("?")
    host_params = "&".join(f"host={h.strip()}" for h in hosts.split(",") if h.strip())
    query = f"{host_params}&{query}" if query else host_params
    return f"{scheme}://{creds}{at}/{path}?{query}"


def load_settings(**overrides: Any) -> Settings:
    """Build settings, turning validation errors into one ConfigError with a readable message."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err.get("loc", ())) or "settings"
            lines.append(f"  - {loc.upper()}: {err.get('msg')}")
        raise ConfigError("invalid configuration:\n" + "\n".join(lines)) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
