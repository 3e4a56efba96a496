"""Accounts: guests, registration, guest upgrade, password change."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.errors import unauthorized
from app.auth.models import AuthSession, User
from app.auth.passwords import check_password
from app.auth.schemas import TokenPair, UserOut
from app.auth.tokens import issue_session
from app.auth.users import email_taken, normalise_email, user_out
from app.core.audit import record_audit
from app.core.config import Settings
from app.core.errors import AppError, ErrorCode
from app.core.metrics import AUTH_EVENTS
from app.core.security import (
    hash_password,
    verify_password,
)
from app.core.types import utcnow


async def create_guest(
    db: AsyncSession,
    settings: Settings,
    *,
    request: Request | None,
    display_name: str | None = None,
    locale: str = "zh-CN",
) -> TokenPair:
    user = User(is_guest=True, display_name=display_name, locale=locale)
    db.add(user)
    await db.flush()
    pair = await issue_session(db, settings, user=user, request=request)
    await db.commit()
    AUTH_EVENTS.labels(event="guest_created").inc()
    return pair


async def register(
    db: AsyncSession,
    settings: Settings,
    *,
    email: str,
    password: str,
    display_name: str | None,
    locale: str,
    request: Request | None,
) -> TokenPair:
    email = normalise_email(email)
    check_password(password, min_length=settings.password_min_length, email=email)
    if await email_taken(db, email):
        raise AppError(
            ErrorCode.CONFLICT, "该邮箱已注册 (e-mail already registered)", details={"field": "email"}
        )
    user = User(
        email=email,
        password_hash=await hash_password(password),
        is_guest=False,
        display_name=display_name,
        locale=locale,
    )
    db.add(user)
    try:
        await db.flush()
    except IntegrityError as exc:
        await db.rollback()
        raise AppError(ErrorCode.CONFLICT, "该邮箱已注册 (e-mail already registered)") from exc
    record_audit(db, action="auth.register", actor_user_id=user.id, subject_user_id=user.id, request=request)
    pair = await issue_session(db, settings, user=user, request=request)
    await db.commit()
    AUTH_EVENTS.labels(event="register").inc()
    return pair


async def upgrade_guest(
    db: AsyncSession,
    settings: Settings,
    *,
    user: User,
    email: str,
    password: str,
    display_name: str | None,
    request: Request | None,
) -> UserOut:
    """Turn a guest into a full account. Same user id: every session, message and log is kept."""
    if not user.is_guest:
        raise AppError(ErrorCode.CONFLICT, "账户已是正式账户 (already a full account)")
    email = normalise_email(email)
    check_password(password, min_length=settings.password_min_length, email=email)
    if await email_taken(db, email):
        raise AppError(
            ErrorCode.CONFLICT, "该邮箱已注册 (e-mail already registered)", details={"field": "email"}
        )
    user.email = email
    user.password_hash = await hash_password(password)
    user.is_guest = False
    if display_name:
        user.display_name = display_name
    record_audit(db, action="auth.upgrade", actor_user_id=user.id, subject_user_id=user.id, request=request)
    try:
        await db.commit()
    except IntegrityError as exc:
        await db.rollback()
        raise AppError(ErrorCode.CONFLICT, "该邮箱已注册 (e-mail already registered)") from exc
    AUTH_EVENTS.labels(event="guest_upgraded").inc()
    return await user_out(db, user)


async def change_password(
    db: AsyncSession,
    settings: Settings,
    *,
    user: User,
    current_password: str,
    new_password: str,
    keep_session_id: str,
    request: Request | None,
) -> None:
    ok, _ = await verify_password(current_password, user.password_hash)
    if not ok:
        raise unauthorized("bad_credentials", "当前密码不正确 (current password is wrong)")
    check_password(new_password, min_length=settings.password_min_length, email=user.email)
    user.password_hash = await hash_password(new_password)
    # every other device must sign in again
    await db.execute(
        update(AuthSession)
        .where(
            AuthSession.user_id == user.id,
            AuthSession.id != keep_session_id,
            AuthSession.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow(), revoke_reason="password_change")
        .execution_options(synchronize_session=False)
    )
    record_audit(
        db, action="auth.password_change", actor_user_id=user.id, subject_user_id=user.id, request=request
    )
    await db.commit()
