"""The second factor: TOTP (no replay), one-time recovery codes, enrolment, confirmation, removal."""

from __future__ import annotations

import secrets
import time

import pyotp
from fastapi import Request
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.backoff import backoff_seconds, record_attempt
from app.auth.errors import too_many, unauthorized
from app.auth.models import MfaCredential, MfaRecoveryCode, User
from app.auth.schemas import MfaEnrollment
from app.core.audit import record_audit
from app.core.config import Settings
from app.core.crypto import keyed_hash
from app.core.errors import AppError, ErrorCode
from app.core.metrics import AUTH_EVENTS
from app.core.security import (
    verify_password,
)
from app.core.types import utcnow

RECOVERY_CODE_COUNT = 10


async def confirmed_credential(db: AsyncSession, *, user_id: str) -> MfaCredential | None:
    cred = await db.scalar(select(MfaCredential).where(MfaCredential.user_id == user_id))
    if cred is None or cred.confirmed_at is None:
        return None
    return cred


def _totp_step(secret: str, code: str, *, last_used_step: int | None) -> int | None:
    """Return the matching time step (±1 window) if the code is valid and not replayed."""
    code = code.strip().replace(" ", "")
    if not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now = time.time()
    for offset in (0, -1, 1):
        at = now + offset * totp.interval
        if secrets.compare_digest(totp.at(at), code):
            step = int(at // totp.interval)
            if last_used_step is not None and step <= last_used_step:
                return None
            return step
    return None


def _recovery_hash(settings: Settings, code: str) -> str:
    return keyed_hash(code.strip().lower().replace("-", ""), secret=settings.secret, purpose="recovery")


async def _verify_code(
    db: AsyncSession, settings: Settings, *, user: User, credential: MfaCredential, code: str
) -> str | None:
    """Check a TOTP or a one-time recovery code; returns 'totp' / 'recovery' / None."""
    step = _totp_step(credential.secret, code, last_used_step=credential.last_used_step)
    if step is not None:
        credential.last_used_step = step
        return "totp"
    if len(code.strip()) >= 10:
        result = await db.execute(
            update(MfaRecoveryCode)
            .where(
                MfaRecoveryCode.user_id == user.id,
                MfaRecoveryCode.code_hash == _recovery_hash(settings, code),
                MfaRecoveryCode.used_at.is_(None),
            )
            .values(used_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if getattr(result, "rowcount", 0) == 1:
            return "recovery"
    return None


async def check_second_factor(
    db: AsyncSession,
    settings: Settings,
    *,
    user: User,
    credential: MfaCredential,
    code: str,
    request: Request | None,
) -> None:
    key = keyed_hash(user.id, secret=settings.secret, purpose="mfa")
    wait = await backoff_seconds(db, settings, key_hash=key)
    if wait:
        raise too_many(wait)
    kind = await _verify_code(db, settings, user=user, credential=credential, code=code)
    if kind is None:
        await record_attempt(db, key_hash=key, succeeded=False, request=request, reason="bad_mfa_code")
        record_audit(
            db,
            action="auth.mfa_failed",
            actor_user_id=user.id,
            subject_user_id=user.id,
            request=request,
        )
        await db.commit()
        AUTH_EVENTS.labels(event="mfa_failure").inc()
        raise AppError(
            ErrorCode.UNAUTHORIZED,
            "验证码不正确 (invalid verification code)",
            status=401,
            details={"reason": "bad_mfa_code"},
        )
    await record_attempt(db, key_hash=key, succeeded=True, request=request)
    if kind == "recovery":
        record_audit(
            db,
            action="mfa.recovery_code_used",
            actor_user_id=user.id,
            subject_user_id=user.id,
            request=request,
        )


async def mfa_enroll(
    db: AsyncSession, settings: Settings, *, user: User, request: Request | None
) -> MfaEnrollment:
    if user.is_guest or not user.email:
        raise AppError(ErrorCode.FORBIDDEN, "访客账户不能启用两步验证 (guests cannot enable MFA)")
    existing = await db.scalar(select(MfaCredential).where(MfaCredential.user_id == user.id))
    if existing is not None and existing.confirmed_at is not None:
        raise AppError(ErrorCode.CONFLICT, "两步验证已启用 (MFA already enabled)")
    secret = pyotp.random_base32()
    if existing is None:
        db.add(MfaCredential(user_id=user.id, secret=secret))
    else:
        existing.secret = secret
        existing.created_at = utcnow()
        existing.last_used_step = None
    record_audit(
        db, action="mfa.enroll_started", actor_user_id=user.id, subject_user_id=user.id, request=request
    )
    await db.commit()
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=settings.mfa_issuer)
    return MfaEnrollment(secret=secret, otpauth_uri=uri)


async def _new_recovery_codes(db: AsyncSession, settings: Settings, *, user_id: str) -> list[str]:
    await db.execute(delete(MfaRecoveryCode).where(MfaRecoveryCode.user_id == user_id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = secrets.token_hex(5)  # 10 hex chars, 40 bits
        code = f"{raw[:5]}-{raw[5:]}"
        codes.append(code)
        db.add(MfaRecoveryCode(user_id=user_id, code_hash=_recovery_hash(settings, code)))
    return codes


async def mfa_confirm(
    db: AsyncSession, settings: Settings, *, user: User, code: str, request: Request | None
) -> list[str]:
    cred = await db.scalar(select(MfaCredential).where(MfaCredential.user_id == user.id))
    if cred is None:
        raise AppError(ErrorCode.NOT_FOUND, "请先开始两步验证注册 (start enrolment first)")
    if cred.confirmed_at is not None:
        raise AppError(ErrorCode.CONFLICT, "两步验证已启用 (MFA already enabled)")
    step = _totp_step(cred.secret, code, last_used_step=None)
    if step is None:
        # a well-formed code that is not the current one: refused as the other second-factor checks are
        raise AppError(
            ErrorCode.UNAUTHORIZED,
            "验证码不正确 (invalid verification code)",
            status=401,
            details={"field": "code", "reason": "bad_mfa_code"},
        )
    cred.confirmed_at = utcnow()
    cred.last_used_step = step
    codes = await _new_recovery_codes(db, settings, user_id=user.id)
    record_audit(db, action="mfa.enabled", actor_user_id=user.id, subject_user_id=user.id, request=request)
    await db.commit()
    return codes


async def mfa_disable(
    db: AsyncSession, settings: Settings, *, user: User, password: str, code: str, request: Request | None
) -> None:
    ok, _ = await verify_password(password, user.password_hash)
    if not ok:
        raise unauthorized("bad_credentials", "密码不正确 (wrong password)")
    cred = await confirmed_credential(db, user_id=user.id)
    if cred is None:
        raise AppError(ErrorCode.NOT_FOUND, "两步验证未启用 (MFA is not enabled)")
    await check_second_factor(db, settings, user=user, credential=cred, code=code, request=request)
    await db.execute(delete(MfaRecoveryCode).where(MfaRecoveryCode.user_id == user.id))
    await db.delete(cred)
    record_audit(db, action="mfa.disabled", actor_user_id=user.id, subject_user_id=user.id, request=request)
    await db.commit()


async def mfa_regenerate_codes(
    db: AsyncSession, settings: Settings, *, user: User, code: str, request: Request | None
) -> list[str]:
    cred = await confirmed_credential(db, user_id=user.id)
    if cred is None:
        raise AppError(ErrorCode.NOT_FOUND, "两步验证未启用 (MFA is not enabled)")
    await check_second_factor(db, settings, user=user, credential=cred, code=code, request=request)
    codes = await _new_recovery_codes(db, settings, user_id=user.id)
    record_audit(
        db,
        action="mfa.recovery_codes_regenerated",
        actor_user_id=user.id,
        subject_user_id=user.id,
        request=request,
    )
    await db.commit()
    return codes


async def remaining_recovery_codes(db: AsyncSession, *, user_id: str) -> int:
    return int(
        await db.scalar(
            select(func.count())
            .select_from(MfaRecoveryCode)
            .where(MfaRecoveryCode.user_id == user_id, MfaRecoveryCode.used_at.is_(None))
        )
        or 0
    )
