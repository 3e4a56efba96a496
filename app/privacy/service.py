"""Export everything we hold about a user; erase an account and its content, or one conversation.

Erasure removes every row of the user (messages, logs, reports, practices, feedback, sessions, MFA,
login attempts) and the user itself; one ``privacy.account_deleted`` audit row (counts only, no
content) remains. Other subsystems that keep per-user state elsewhere (e.g. Redis caches) register an
erasure hook with ``register_erasure_hook``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import structlog
from fastapi import Request
from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.backoff import login_key
from app.auth.errors import unauthorized
from app.auth.mfa import check_second_factor, confirmed_credential, remaining_recovery_codes
from app.auth.models import AuthSession, LoginAttempt, MfaCredential, MfaRecoveryCode, RefreshToken, User
from app.chat.models import ChatSession, Message, MessageFeedback
from app.content.models import ContentFeedback
from app.core.audit import AuditEvent, record_audit
from app.core.config import Settings
from app.core.errors import AppError, ErrorCode
from app.core.security import verify_password
from app.emotions.models import EmotionLog
from app.reports.models import Report
from app.therapy.models import TherapyPractice

log = structlog.get_logger("duck.privacy")

ErasureHook = Callable[[str], Awaitable[None]]
_erasure_hooks: list[ErasureHook] = []


def register_erasure_hook(hook: ErasureHook) -> None:
    """Call ``hook(user_id)`` after an account is erased (drop caches, files, queues ...)."""
    if hook not in _erasure_hooks:
        _erasure_hooks.append(hook)


def _iso(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value


def _row(obj: Any, fields: list[str]) -> dict[str, Any]:
    return {f: _iso(getattr(obj, f)) for f in fields}


#: the columns of each table that an export shows (every one the user could care about, no secrets)
USER_FIELDS = ["id", "email", "is_guest", "is_admin", "display_name", "locale", "created_at", "last_login_at"]
AUTH_SESSION_FIELDS = [
    "id",
    "created_at",
    "last_used_at",
    "expires_at",
    "user_agent",
    "ip_prefix",
    "revoked_at",
]
CHAT_SESSION_FIELDS = ["id", "title", "created_at", "last_message_at", "message_count"]
MESSAGE_FIELDS = [
    "id",
    "session_id",
    "role",
    "text",
    "emotion",
    "safety_level",
    "flagged",
    "panel_url",
    "video_url",
    "created_at",
]
MESSAGE_FEEDBACK_FIELDS = ["message_id", "helpful", "score", "created_at"]
EMOTION_LOG_FIELDS = [
    "id",
    "session_id",
    "message_id",
    "sentiment",
    "primary_emotion",
    "secondary_emotions",
    "intensity",
    "urgency",
    "topics",
    "psychological_needs",
    "support_type",
    "keywords",
    "confidence",
    "created_at",
]
CONTENT_FEEDBACK_FIELDS = ["asset_id", "session_id", "feedback_type", "helpful", "rating", "created_at"]
THERAPY_PRACTICE_FIELDS = [
    "id",
    "tip_id",
    "session_id",
    "status",
    "completed",
    "duration_seconds",
    "rating",
    "mood_before",
    "mood_after",
    "notes",
    "created_at",
]
REPORT_FIELDS = ["id", "session_id", "kind", "period_start", "payload", "created_at"]
AUDIT_FIELDS = ["action", "actor_user_id", "details", "created_at"]


async def _rows(
    db: AsyncSession, model: Any, fields: list[str], *where: Any, order: Any = None
) -> list[dict[str, Any]]:
    stmt = select(model).where(*where)
    if order is not None:
        stmt = stmt.order_by(order)
    found: list[Any] = list((await db.scalars(stmt)).all())
    return [_row(obj, fields) for obj in found]


async def _mfa_summary(db: AsyncSession, *, user_id: str) -> dict[str, Any]:
    cred = await db.scalar(select(MfaCredential).where(MfaCredential.user_id == user_id))
    return {
        "enabled": bool(cred and cred.confirmed_at),
        "confirmed_at": _iso(cred.confirmed_at) if cred else None,
        "recovery_codes_remaining": await remaining_recovery_codes(db, user_id=user_id),
    }


async def export_user(db: AsyncSession, *, user: User) -> dict[str, Any]:
    """Everything stored about ``user`` (messages decrypted), as one JSON-ready document."""
    uid = user.id
    return {
        "exported_at": datetime.now(UTC).isoformat(),
        "format": "psych-duck-export/1",
        "user": _row(user, USER_FIELDS),
        "mfa": await _mfa_summary(db, user_id=uid),
        "auth_sessions": await _rows(
            db, AuthSession, AUTH_SESSION_FIELDS, AuthSession.user_id == uid, order=AuthSession.created_at
        ),
        "chat_sessions": await _rows(
            db, ChatSession, CHAT_SESSION_FIELDS, ChatSession.user_id == uid, order=ChatSession.created_at
        ),
        "messages": await _rows(
            db, Message, MESSAGE_FIELDS, Message.user_id == uid, order=Message.created_at
        ),
        "message_feedback": await _rows(
            db, MessageFeedback, MESSAGE_FEEDBACK_FIELDS, MessageFeedback.user_id == uid
        ),
        "emotion_logs": await _rows(
            db, EmotionLog, EMOTION_LOG_FIELDS, EmotionLog.user_id == uid, order=EmotionLog.created_at
        ),
        "content_feedback": await _rows(
            db, ContentFeedback, CONTENT_FEEDBACK_FIELDS, ContentFeedback.user_id == uid
        ),
        "therapy_practices": await _rows(
            db,
            TherapyPractice,
            THERAPY_PRACTICE_FIELDS,
            TherapyPractice.user_id == uid,
            order=TherapyPractice.created_at,
        ),
        "reports": await _rows(db, Report, REPORT_FIELDS, Report.user_id == uid, order=Report.period_start),
        "audit_events": await _rows(
            db, AuditEvent, AUDIT_FIELDS, AuditEvent.subject_user_id == uid, order=AuditEvent.id
        ),
    }


async def _erase_conversation_content(
    *, db: AsyncSession, session_ids: Any, user_id: str | None
) -> dict[str, int]:
    """Delete what conversations hold: their messages (with the ``Idempotency-Key`` each user message
    carries), emotion logs, report caches, feedback on the duck's replies and on recommended content.

    ``session_ids``: the conversations (ids or a subquery); with ``user_id`` also every such row of that
    user wherever it hangs (the account erasure). Returns the rows deleted per table; does not commit."""
    counts: dict[str, int] = {}

    def scope(column: Any, owner: Any) -> Any:
        in_sessions = column.in_(session_ids)
        return in_sessions if user_id is None else (owner == user_id) | in_sessions

    async def wipe(name: str, stmt: Any) -> None:
        result = await db.execute(stmt.execution_options(synchronize_session=False))
        counts[name] = int(getattr(result, "rowcount", 0) or 0)

    msg_ids = select(Message.id).where(scope(Message.session_id, Message.user_id)).scalar_subquery()
    feedback: ColumnElement[bool] = MessageFeedback.message_id.in_(msg_ids)
    if user_id is not None:
        feedback = (MessageFeedback.user_id == user_id) | feedback
    await wipe("message_feedback", delete(MessageFeedback).where(feedback))
    await wipe(
        "content_feedback",
        delete(ContentFeedback).where(scope(ContentFeedback.session_id, ContentFeedback.user_id)),
    )
    await wipe("reports", delete(Report).where(scope(Report.session_id, Report.user_id)))
    await wipe("emotion_logs", delete(EmotionLog).where(scope(EmotionLog.session_id, EmotionLog.user_id)))
    # replies first: on SQLite the ON DELETE CASCADE of ``reply_to`` would remove them uncounted
    messages = scope(Message.session_id, Message.user_id)
    await wipe("messages", delete(Message).where(messages, Message.reply_to.is_not(None)))
    replies = counts["messages"]
    await wipe("messages", delete(Message).where(messages))
    counts["messages"] += replies
    return counts


async def erase_conversation(
    *, db: AsyncSession, session: ChatSession, actor_user_id: str, request: Request | None
) -> dict[str, int]:
    """Delete one conversation and what it holds (``_erase_conversation_content``), not the account.

    Practice records made during it stay the user's (they are detached: ``session_id`` NULL). One
    ``chat.session_deleted`` audit row with the counts (no content) is written in the same commit.
    Returns the rows deleted per table (``chat_sessions`` 1) and ``therapy_practices_detached``."""
    sid, uid = session.id, session.user_id
    counts = await _erase_conversation_content(db=db, session_ids=[sid], user_id=None)
    detached = await db.execute(
        update(TherapyPractice)
        .where(TherapyPractice.session_id == sid)
        .values(session_id=None)
        .execution_options(synchronize_session=False)
    )
    counts["therapy_practices_detached"] = int(getattr(detached, "rowcount", 0) or 0)
    gone = await db.execute(
        delete(ChatSession).where(ChatSession.id == sid).execution_options(synchronize_session=False)
    )
    counts["chat_sessions"] = int(getattr(gone, "rowcount", 0) or 0)
    record_audit(
        db,
        action="chat.session_deleted",
        actor_user_id=actor_user_id,
        subject_user_id=uid,
        details={"session_id": sid, "counts": counts},
        request=request,
    )
    await db.commit()
    db.expunge(session)
    log.info("chat.session_deleted", session_id=sid, messages=counts["messages"])
    return counts


async def export_own_data(db: AsyncSession, *, user: User, request: Request | None) -> dict[str, Any]:
    """The signed-in user's export; audited as ``privacy.export``."""
    data = await export_user(db, user=user)
    record_audit(db, action="privacy.export", actor_user_id=user.id, subject_user_id=user.id, request=request)
    await db.commit()
    return data


async def admin_export(
    db: AsyncSession, *, admin: User, user_id: str, request: Request | None
) -> dict[str, Any]:
    """An administrator reads a user's data; always audited as ``admin.read_user_data``."""
    target = await db.get(User, user_id)
    if target is None or target.deleted_at is not None:
        raise AppError(ErrorCode.NOT_FOUND, "用户不存在 (no such user)")
    data = await export_user(db, user=target)
    record_audit(
        db,
        action="admin.read_user_data",
        actor_user_id=admin.id,
        subject_user_id=target.id,
        details={"scope": "export"},
        request=request,
    )
    await db.commit()
    return data


async def confirm_deletion(
    db: AsyncSession,
    settings: Settings,
    *,
    user: User,
    password: str | None,
    otp_code: str | None,
    request: Request | None,
) -> None:
    """A full account confirms its erasure with its password, and a second factor when MFA is on.
    Guests have neither: nothing to check."""
    if user.is_guest:
        return
    if not password:
        raise AppError(
            ErrorCode.VALIDATION_ERROR,
            "请输入密码以确认删除 (password required)",
            status=400,
            details={"field": "password", "reason": "required"},
        )
    ok, _ = await verify_password(password, user.password_hash)
    if not ok:
        raise unauthorized("bad_credentials", "密码不正确 (wrong password)")
    cred = await confirmed_credential(db, user_id=user.id)
    if cred is None:
        return
    if not otp_code:
        raise AppError(ErrorCode.MFA_REQUIRED, "需要两步验证码 (verification code required)", status=401)
    await check_second_factor(db, settings, user=user, credential=cred, code=otp_code, request=request)


async def erase_user(
    db: AsyncSession, settings: Settings, *, user: User, actor_user_id: str | None, request: Request | None
) -> dict[str, int]:
    """Delete the account and all its content in one transaction; returns per-table counts."""
    uid = user.id
    email = user.email
    counts: dict[str, int] = {}

    async def wipe(name: str, stmt: Any) -> None:
        result = await db.execute(stmt.execution_options(synchronize_session=False))
        counts[name] = int(getattr(result, "rowcount", 0) or 0)

    session_ids = select(ChatSession.id).where(ChatSession.user_id == uid).scalar_subquery()
    family_ids = select(AuthSession.id).where(AuthSession.user_id == uid).scalar_subquery()
    counts.update(await _erase_conversation_content(db=db, session_ids=session_ids, user_id=uid))
    await wipe("therapy_practices", delete(TherapyPractice).where(TherapyPractice.user_id == uid))
    await wipe("chat_sessions", delete(ChatSession).where(ChatSession.user_id == uid))
    await wipe("mfa_recovery_codes", delete(MfaRecoveryCode).where(MfaRecoveryCode.user_id == uid))
    await wipe("mfa_credentials", delete(MfaCredential).where(MfaCredential.user_id == uid))
    await wipe("refresh_tokens", delete(RefreshToken).where(RefreshToken.family_id.in_(family_ids)))
    await wipe("auth_sessions", delete(AuthSession).where(AuthSession.user_id == uid))
    if email:
        await wipe(
            "login_attempts", delete(LoginAttempt).where(LoginAttempt.key_hash == login_key(settings, email))
        )
    # earlier audit rows stay (they hold no content) but lose the network prefix
    await db.execute(
        update(AuditEvent)
        .where(AuditEvent.subject_user_id == uid)
        .values(ip_prefix=None)
        .execution_options(synchronize_session=False)
    )
    await wipe("users", delete(User).where(User.id == uid))
    record_audit(
        db,
        action="privacy.account_deleted",
        actor_user_id=actor_user_id,
        subject_user_id=uid,
        details={"counts": counts, "was_guest": user.is_guest},
        request=None,  # no network data about an erased person
    )
    await db.commit()
    for hook in list(_erasure_hooks):
        try:
            await hook(uid)
        except Exception as exc:
            log.error(
                "privacy.erasure_hook_failed", hook=getattr(hook, "__name__", "?"), error=type(exc).__name__
            )
    return counts
