"""Login attempts and the exponential back-off per key (hashed e-mail, or user for a second factor)."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import LoginAttempt
from app.auth.users import normalise_email
from app.core.audit import client_ip
from app.core.config import Settings
from app.core.crypto import keyed_hash
from app.core.security import (
    truncate_ip,
)
from app.core.types import utcnow


def login_key(settings: Settings, email: str) -> str:
    return keyed_hash(normalise_email(email), secret=settings.secret, purpose="login")


async def backoff_seconds(db: AsyncSession, settings: Settings, *, key_hash: str) -> int:
    """Seconds to wait before the next attempt for this key (0 = go ahead)."""
    since = utcnow() - timedelta(seconds=settings.login_backoff_window_seconds)
    rows = (
        await db.execute(
            select(LoginAttempt.succeeded, LoginAttempt.created_at)
            .where(LoginAttempt.key_hash == key_hash, LoginAttempt.created_at > since)
            .order_by(LoginAttempt.created_at.desc(), LoginAttempt.id.desc())
            .limit(64)
        )
    ).all()
    failures = 0
    last_failure: datetime | None = None
    for succeeded, created_at in rows:
        if succeeded:
            break
        failures += 1
        last_failure = last_failure or created_at
    if failures < settings.login_backoff_threshold or last_failure is None:
        return 0
    delay = min(2 ** (failures - settings.login_backoff_threshold) * 2, settings.login_backoff_max_seconds)
    wait = (last_failure + timedelta(seconds=delay) - utcnow()).total_seconds()
    return max(0, int(wait + 0.999))


async def record_attempt(
    db: AsyncSession, *, key_hash: str, succeeded: bool, request: Request | None, reason: str | None = None
) -> None:
    db.add(
        LoginAttempt(
            key_hash=key_hash,
            succeeded=succeeded,
            ip_prefix=truncate_ip(client_ip(request)),
            reason=reason,
        )
    )
