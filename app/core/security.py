"""Passwords (argon2 via pwdlib), JWT access tokens (pyjwt), opaque refresh tokens, IP truncation."""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio
import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from app.core.config import Settings


class _HasherHolder:
    hasher: PasswordHash | None = None
    dummy: str | None = None


_hasher = _HasherHolder()


def configure_password_hasher(*, time_cost: int = 2, memory_kib: int = 19456, parallelism: int = 1) -> None:
    """argon2id parameters (defaults: OWASP's m=19 MiB, t=2, p=1). Hashes made with other parameters
    still verify and are upgraded on the next successful login."""
    _hasher.hasher = PasswordHash(
        (Argon2Hasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism),)
    )
    _hasher.dummy = None


def password_hasher() -> PasswordHash:
    if _hasher.hasher is None:
        configure_password_hasher()
    assert _hasher.hasher is not None
    return _hasher.hasher


def _dummy_hash() -> str:
    if _hasher.dummy is None:
        _hasher.dummy = password_hasher().hash(secrets.token_urlsafe(16))
    return _hasher.dummy


def hash_password_sync(password: str) -> str:
    return password_hasher().hash(password)


def verify_password_sync(password: str, hashed: str | None) -> tuple[bool, str | None]:
    """Return (valid, new_hash_if_rehash_needed). Runs a dummy hash when there is no user (timing)."""
    if not hashed:
        password_hasher().verify(password, _dummy_hash())
        return False, None
    return password_hasher().verify_and_update(password, hashed)


async def hash_password(password: str) -> str:
    """argon2 in a worker thread: never block the event loop for ~50 ms of hashing."""
    return await anyio.to_thread.run_sync(hash_password_sync, password)


async def verify_password(password: str, hashed: str | None) -> tuple[bool, str | None]:
    return await anyio.to_thread.run_sync(verify_password_sync, password, hashed)


@dataclass(frozen=True)
class TokenClaims:
    user_id: str
    session_id: str
    token_type: str
    is_guest: bool
    expires_at: datetime
    raw: dict[str, Any]


class TokenError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def create_token(
    settings: Settings,
    *,
    user_id: str,
    session_id: str,
    token_type: str = "access",  # noqa: S107 - a token kind
    is_guest: bool = False,
    ttl: int | None = None,
    extra: dict[str, Any] | None = None,
) -> tuple[str, datetime]:
    now = datetime.now(UTC)
    exp = now + timedelta(seconds=ttl if ttl is not None else settings.access_token_ttl)
    payload: dict[str, Any] = {
        "sub": user_id,
        "sid": session_id,
        "typ": token_type,
        "gst": is_guest,
        "iat": int(now.timestamp()),
        "nbf": int(now.timestamp()) - 5,
        "exp": int(exp.timestamp()),
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "jti": uuid.uuid4().hex,
    }
    if extra:
        payload.update(extra)
    return jwt.encode(payload, settings.secret, algorithm=settings.jwt_algorithm), exp


def decode_token(settings: Settings, token: str, *, expected_type: str = "access") -> TokenClaims:
    try:
        data = jwt.decode(
            token,
            settings.secret,
            algorithms=[settings.jwt_algorithm],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options={"require": ["exp", "iat", "sub", "sid", "typ"]},
            leeway=5,
        )
    except jwt.ExpiredSignatureError as exc:
        raise TokenError("expired") from exc
    except jwt.InvalidTokenError as exc:
        raise TokenError("invalid") from exc
    if data.get("typ") != expected_type:
        raise TokenError("wrong_type")
    return TokenClaims(
        user_id=str(data["sub"]),
        session_id=str(data["sid"]),
        token_type=str(data["typ"]),
        is_guest=bool(data.get("gst", False)),
        expires_at=datetime.fromtimestamp(int(data["exp"]), UTC),
        raw=data,
    )


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def truncate_ip(ip: str | None) -> str | None:
    """Keep the network part only: IPv4 /24, IPv6 /48."""
    if not ip:
        return None
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return None
    prefix = 24 if addr.version == 4 else 48
    return str(ipaddress.ip_network(f"{addr}/{prefix}", strict=False))


def user_agent_label(ua: str | None) -> str | None:
    """A coarse label ("Firefox on Linux"), never the full UA string."""
    if not ua:
        return None
    low = ua.lower()
    browser = next(
        (
            name
            for key, name in (
                ("edg/", "Edge"),
                ("micromessenger", "WeChat"),
                ("firefox", "Firefox"),
                ("chrome", "Chrome"),
                ("safari", "Safari"),
                ("python-httpx", "httpx"),
                ("curl", "curl"),
            )
            if key in low
        ),
        "Other",
    )
    system = next(
        (
            name
            for key, name in (
                ("android", "Android"),
                ("iphone", "iOS"),
                ("ipad", "iOS"),
                ("windows", "Windows"),
                ("mac os", "macOS"),
                ("linux", "Linux"),
            )
            if key in low
        ),
        None,
    )
    return f"{browser} on {system}" if system else browser
