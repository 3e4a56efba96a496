"""Refresh-token families (one per signed-in device): issue, rotate with reuse detection, list, revoke."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from fastapi import Request
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.errors import unauthorized
from app.auth.models import AuthSession, RefreshToken, User
from app.auth.schemas import SessionOut, TokenPair
from app.auth.users import user_out
from app.core.audit import client_ip, record_audit
from app.core.config import Settings
from app.core.errors import AppError, ErrorCode
from app.core.metrics import AUTH_EVENTS
from app.core.security import (
    create_token,
    new_refresh_token,
    sha256_hex,
    truncate_ip,
    user_agent_label,
)
from app.core.types import utcnow


@dataclass(frozen=True)
class Principal:
    user: User
    session_id: str
    is_guest: bool


async def issue_session(
    db: AsyncSession,
    settings: Settings,
    *,
    user: User,
    request: Request | None,
    mfa_verified: bool = False,
) -> TokenPair:
    """Start a new refresh-token family (a signed-in device) and return its first token pair."""
    now = utcnow()
    expires = now + timedelta(seconds=settings.refresh_token_ttl)
    auth_session = AuthSession(
        user_id=user.id,
        created_at=now,
        last_used_at=now,
        expires_at=expires,
        user_agent=user_agent_label(request.headers.get("user-agent")) if request else None,
        ip_prefix=truncate_ip(client_ip(request)),
        mfa_verified=mfa_verified,
    )
    db.add(auth_session)
    await db.flush()
    refresh = new_refresh_token()
    db.add(
        RefreshToken(
            family_id=auth_session.id, token_hash=sha256_hex(refresh), issued_at=now, expires_at=expires
        )
    )
    return await _token_pair(db, settings, user=user, session_id=auth_session.id, refresh=refresh)


async def _token_pair(
    db: AsyncSession, settings: Settings, *, user: User, session_id: str, refresh: str
) -> TokenPair:
    access, _exp = create_token(settings, user_id=user.id, session_id=session_id, is_guest=user.is_guest)
    return TokenPair(
        access_token=access,
        refresh_token=refresh,
        expires_in=settings.access_token_ttl,
        refresh_expires_in=settings.refresh_token_ttl,
        session_id=session_id,
        user=await user_out(db, user),
    )


async def refresh_tokens(
    db: AsyncSession, settings: Settings, *, refresh_token: str, request: Request | None
) -> TokenPair:
    """Rotate: the presented token is spent and replaced. A spent token presented again means it was
    stolen (or the client is confused): the whole family is revoked."""
    now = utcnow()
    token_hash = sha256_hex(refresh_token)
    row = (
        await db.execute(
            select(RefreshToken, AuthSession)
            .join(AuthSession, AuthSession.id == RefreshToken.family_id)
            .where(RefreshToken.token_hash == token_hash)
        )
    ).first()
    if row is None:
        AUTH_EVENTS.labels(event="refresh_invalid").inc()
        raise unauthorized("invalid_refresh_token")
    token, family = row
    if family.revoked_at is not None:
        AUTH_EVENTS.labels(event="refresh_revoked").inc()
        raise unauthorized("session_revoked")
    family_id, family_user_id = family.id, family.user_id
    if token.used_at is not None:
        await _revoke_family_for_reuse(db, family_id=family_id, user_id=family_user_id, request=request)
        raise unauthorized("refresh_token_reused", "令牌已被使用，此登录已被注销 (refresh token reuse)")
    if token.expires_at <= now or family.expires_at <= now:
        AUTH_EVENTS.labels(event="refresh_expired").inc()
        raise unauthorized("refresh_token_expired")
    user = await db.get(User, family.user_id)
    if user is None or user.deleted_at is not None:
        raise unauthorized("user_gone")

    # claim the token atomically: two concurrent refreshes cannot both succeed
    claimed = await db.execute(
        update(RefreshToken)
        .where(RefreshToken.id == token.id, RefreshToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(claimed, "rowcount", 0) != 1:
        await db.rollback()
        await _revoke_family_for_reuse(db, family_id=family_id, user_id=family_user_id, request=request)
        raise unauthorized("refresh_token_reused")

    new_refresh = new_refresh_token()
    expires = now + timedelta(seconds=settings.refresh_token_ttl)
    replacement = RefreshToken(
        family_id=family.id, token_hash=sha256_hex(new_refresh), issued_at=now, expires_at=expires
    )
    db.add(replacement)
    await db.flush()
    await db.execute(
        update(RefreshToken)
        .where(RefreshToken.id == token.id)
        .values(replaced_by=replacement.id)
        .execution_options(synchronize_session=False)
    )
    family.last_used_at = now
    family.expires_at = expires
    pair = await _token_pair(db, settings, user=user, session_id=family.id, refresh=new_refresh)
    await db.commit()
    AUTH_EVENTS.labels(event="refresh").inc()
    return pair


async def _revoke_family_for_reuse(
    db: AsyncSession, *, family_id: str, user_id: str, request: Request | None
) -> None:
    await db.execute(
        update(AuthSession)
        .where(AuthSession.id == family_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoke_reason="refresh_reuse")
        .execution_options(synchronize_session=False)
    )
    record_audit(
        db,
        action="auth.refresh_reuse",
        actor_user_id=user_id,
        subject_user_id=user_id,
        details={"session_id": family_id},
        request=request,
    )
    await db.commit()
    AUTH_EVENTS.labels(event="refresh_reuse").inc()


async def revoke_sessions(
    db: AsyncSession, *, user_id: str, session_id: str | None = None, reason: str = "logout"
) -> int:
    stmt = update(AuthSession).where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
    if session_id is not None:
        stmt = stmt.where(AuthSession.id == session_id)
    result = await db.execute(
        stmt.values(revoked_at=utcnow(), revoke_reason=reason).execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def list_sessions(db: AsyncSession, *, user_id: str, current_session_id: str) -> list[SessionOut]:
    now = utcnow()
    rows = (
        await db.scalars(
            select(AuthSession)
            .where(
                AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None), AuthSession.expires_at > now
            )
            .order_by(AuthSession.last_used_at.desc())
        )
    ).all()
    return [
        SessionOut(
            id=s.id,
            created_at=s.created_at,
            last_used_at=s.last_used_at,
            expires_at=s.expires_at,
            user_agent=s.user_agent,
            ip_prefix=s.ip_prefix,
            current=s.id == current_session_id,
        )
        for s in rows
    ]


async def logout(db: AsyncSession, *, user_id: str, session_id: str) -> int:
    """Sign this device out (revoke its refresh-token family)."""
    n = await revoke_sessions(db, user_id=user_id, session_id=session_id)
    await db.commit()
    return n


async def logout_all(db: AsyncSession, *, user_id: str, request: Request | None) -> int:
    """Sign out on every device (every refresh-token family of the user), audited."""
    n = await revoke_sessions(db, user_id=user_id, reason="logout_all")
    record_audit(
        db, action="auth.logout_all", actor_user_id=user_id, subject_user_id=user_id, request=request
    )
    await db.commit()
    return n


async def revoke_session(db: AsyncSession, *, user_id: str, session_id: str) -> int:
    """Revoke one of the user's own sessions; NOT_FOUND when it is not theirs or already gone."""
    n = await revoke_sessions(db, user_id=user_id, session_id=session_id)
    if n == 0:
        raise AppError(ErrorCode.NOT_FOUND, "登录会话不存在 (no such session)")
    await db.commit()
    return n
