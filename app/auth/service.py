"""Accounts: guests, registration, login with back-off and MFA, rotating refresh tokens, sessions.

All functions are keyword-only and take the AsyncSession to work in; they commit themselves.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pyotp
from fastapi import Request
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import AuthSession, LoginAttempt, MfaCredential, MfaRecoveryCode, RefreshToken, User
from app.auth.passwords import check_password
from app.auth.schemas import LoginResult, MfaChallenge, MfaEnrollment, SessionOut, TokenPair, UserOut
from app.core.audit import client_ip, record_audit
from app.core.config import Settings
from app.core.crypto import keyed_hash
from app.core.errors import AppError, ErrorCode
from app.core.metrics import AUTH_EVENTS
from app.core.security import (
    TokenError,
    create_token,
    decode_token,
    hash_password,
    new_refresh_token,
    sha256_hex,
    truncate_ip,
    user_agent_label,
    verify_password,
)

RECOVERY_CODE_COUNT = 10


def utcnow() -> datetime:
    return datetime.now(UTC)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def unauthorized(reason: str, message: str | None = None) -> AppError:
    return AppError(
        ErrorCode.UNAUTHORIZED,
        message,
        status=401,
        details={"reason": reason},
        headers={"WWW-Authenticate": "Bearer"},
    )


async def user_out(db: AsyncSession, user: User) -> UserOut:
    enabled = await mfa_enabled(db, user_id=user.id)
    out = UserOut.model_validate(user)
    out.mfa_enabled = enabled
    return out


async def mfa_enabled(db: AsyncSession, *, user_id: str) -> bool:
    row = await db.scalar(
        select(MfaCredential.id).where(
            MfaCredential.user_id == user_id, MfaCredential.confirmed_at.is_not(None)
        )
    )
    return row is not None


# --------------------------------------------------------------------------------------------
# token families
# --------------------------------------------------------------------------------------------
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


# --------------------------------------------------------------------------------------------
# accounts
# --------------------------------------------------------------------------------------------
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


async def _email_taken(db: AsyncSession, email: str) -> bool:
    return (await db.scalar(select(User.id).where(User.email == email))) is not None


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
    if await _email_taken(db, email):
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
    if await _email_taken(db, email):
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


# --------------------------------------------------------------------------------------------
# login with back-off and MFA
# --------------------------------------------------------------------------------------------
async def _backoff_seconds(db: AsyncSession, settings: Settings, *, key_hash: str) -> int:
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


def _too_many(wait: int) -> AppError:
    return AppError(
        ErrorCode.RATE_LIMIT_EXCEEDED,
        "尝试次数过多，请稍后再试 (too many attempts, try again later)",
        status=429,
        details={"retry_after": wait, "reason": "login_backoff"},
        headers={"Retry-After": str(wait)},
    )


async def _record_attempt(
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


def login_key(settings: Settings, email: str) -> str:
    return keyed_hash(normalise_email(email), secret=settings.secret, purpose="login")


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
    wait = await _backoff_seconds(db, settings, key_hash=key)
    if wait:
        AUTH_EVENTS.labels(event="login_backoff").inc()
        raise _too_many(wait)
    user = await db.scalar(select(User).where(User.email == email, User.deleted_at.is_(None)))
    ok, new_hash = await verify_password(password, user.password_hash if user else None)
    if user is None or not ok:
        await _record_attempt(db, key_hash=key, succeeded=False, request=request, reason="bad_credentials")
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

    credential = await _confirmed_credential(db, user_id=user.id)
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

    await _record_attempt(db, key_hash=key, succeeded=True, request=request)
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
    credential = await _confirmed_credential(db, user_id=user.id)
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


# --------------------------------------------------------------------------------------------
# MFA
# --------------------------------------------------------------------------------------------
async def _confirmed_credential(db: AsyncSession, *, user_id: str) -> MfaCredential | None:
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
    wait = await _backoff_seconds(db, settings, key_hash=key)
    if wait:
        raise _too_many(wait)
    kind = await _verify_code(db, settings, user=user, credential=credential, code=code)
    if kind is None:
        await _record_attempt(db, key_hash=key, succeeded=False, request=request, reason="bad_mfa_code")
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
    await _record_attempt(db, key_hash=key, succeeded=True, request=request)
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
    cred = await _confirmed_credential(db, user_id=user.id)
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
    cred = await _confirmed_credential(db, user_id=user.id)
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


@dataclass(frozen=True)
class Principal:
    user: User
    session_id: str
    is_guest: bool
