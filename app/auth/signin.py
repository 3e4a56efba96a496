"""Signing in: password login with back-off, then the second factor when MFA is on."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.backoff import backoff_seconds, login_key, record_attempt
from app.auth.errors import too_many, unauthorized
from app.auth.mfa import check_second_factor, confirmed_credential
from app.auth.models import User
from app.auth.schemas import LoginResult, MfaChallenge, TokenPair
from app.auth.tokens import issue_session
from app.auth.users import normalise_email
from app.core.audit import record_audit
from app.core.config import Settings
from app.core.metrics import AUTH_EVENTS
from app.core.security import (
    TokenError,
    create_token,
    decode_token,
    verify_password,
)
from app.core.types import utcnow


async def login(
    db: AsyncSession,
    settings: Settings,
    *,
    email: str,
    password: str,
    otp_code: str | None,
    request: Request | None,
) -> LoginResult:
    email = normalise_email(email)
    key = login_key(settings, email)
    wait = await backoff_seconds(db, settings, key_hash=key)
    if wait:
        AUTH_EVENTS.labels(event="login_backoff").inc()
        raise too_many(wait)
    user = await db.scalar(select(User).where(User.email == email, User.deleted_at.is_(None)))
    ok, new_hash = await verify_password(password, user.password_hash if user else None)
    if user is None or not ok:
        await record_attempt(db, key_hash=key, succeeded=False, request=request, reason="bad_credentials")
        if user is not None:
            record_audit(
                db,
                action="auth.login_failed",
                actor_user_id=user.id,
                subject_user_id=user.id,
                details={"reason": "bad_credentials"},
                request=request,
            )
        await db.commit()
        AUTH_EVENTS.labels(event="login_failure").inc()
        raise unauthorized("bad_credentials", "邮箱或密码不正确 (wrong e-mail or password)")
    if new_hash:
        user.password_hash = new_hash

    credential = await confirmed_credential(db, user_id=user.id)
    if credential is not None:
        if not otp_code:
            await db.commit()
            token, _ = create_token(
                settings,
                user_id=user.id,
                session_id="mfa",
                token_type="mfa",  # noqa: S106 - a token kind, not a password
                ttl=settings.mfa_token_ttl,
            )
            return LoginResult(
                mfa_required=True,
                challenge=MfaChallenge(mfa_token=token, expires_in=settings.mfa_token_ttl),
            )
        await check_second_factor(
            db, settings, user=user, credential=credential, code=otp_code, request=request
        )

    await record_attempt(db, key_hash=key, succeeded=True, request=request)
    user.last_login_at = utcnow()
    record_audit(
        db,
        action="auth.login",
        actor_user_id=user.id,
        subject_user_id=user.id,
        details={"mfa": credential is not None},
        request=request,
    )
    pair = await issue_session(db, settings, user=user, request=request, mfa_verified=credential is not None)
    await db.commit()
    AUTH_EVENTS.labels(event="login_success").inc()
    return LoginResult(tokens=pair)


async def login_with_mfa(
    db: AsyncSession, settings: Settings, *, mfa_token: str, code: str, request: Request | None
) -> TokenPair:
    try:
        claims = decode_token(settings, mfa_token, expected_type="mfa")
    except TokenError as exc:
        raise unauthorized(f"mfa_token_{exc.reason}") from exc
    user = await db.get(User, claims.user_id)
    if user is None or user.deleted_at is not None:
        raise unauthorized("user_gone")
    credential = await confirmed_credential(db, user_id=user.id)
    if credential is None:
        raise unauthorized("mfa_not_enabled")
    await check_second_factor(db, settings, user=user, credential=credential, code=code, request=request)
    user.last_login_at = utcnow()
    record_audit(
        db,
        action="auth.login",
        actor_user_id=user.id,
        subject_user_id=user.id,
        details={"mfa": True},
        request=request,
    )
    pair = await issue_session(db, settings, user=user, request=request, mfa_verified=True)
    await db.commit()
    AUTH_EVENTS.labels(event="login_success").inc()
    return pair
