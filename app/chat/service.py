"""Chat: the safety gate first, then the crew (off the event loop); messages stored encrypted."""

from __future__ import annotations

import re
import time
import zlib
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from fastapi import Request
from sqlalchemy import distinct, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.agents import metrics as m
from app.agents.crew import arun_turn
from app.agents.libraries import assets, tips
from app.agents.state import TurnState
from app.auth.models import User
from app.chat.models import ChatSession, Message, MessageFeedback
from app.chat.schemas import (
    IDEMPOTENCY_KEY_MAX,
    IDEMPOTENCY_KEY_MIN,
    IDEMPOTENCY_KEY_PATTERN,
    ChatReply,
    HistoryOut,
    MessageIn,
    MessageOut,
    SafetyOut,
)
from app.core.audit import record_audit
from app.core.config import Settings
from app.core.errors import AppError, ErrorCode
from app.core.types import new_id, utcnow
from app.emotions.models import EmotionLog
from app.safety import check_message, hotlines_for_level
from app.safety.service import SafetyResult

log = structlog.get_logger("duck.chat")

# load jieba's dictionary and the hotline data at import, never on a request
check_message("预热")

#: what the API reports as the analysis of a crisis message (fixed: the crew does not run)
CRISIS_ANALYSIS: dict[str, Any] = {
    "sentiment": "negative",
    "intensity": 1.0,
    "primary_emotions": ["痛苦"],
    "secondary_emotions": [],
    "keywords": [],
    "topics": [],
    "language_style": "plain",
    "psychological_needs": ["安全", "专业支持"],
    "urgency_level": 5,
    "support_type": "crisis",
    "confidence_score": 1.0,
    "processing_notes": "safety gate: crisis",
}


def not_found() -> AppError:
    return AppError(ErrorCode.SESSION_NOT_FOUND, status=404)


async def create_session(
    *, db: AsyncSession, user: User, metadata: dict[str, str] | None, locale: str | None
) -> ChatSession:
    meta: dict[str, Any] = dict(metadata or {})
    if locale:
        meta["locale"] = locale
    session = ChatSession(user_id=user.id, metadata_=meta or None)
    db.add(session)
    await db.commit()
    await db.refresh(session)
    m.FEATURE_USAGE.labels("session").inc()
    return session


async def get_owned_session(*, db: AsyncSession, user_id: str, session_id: str) -> ChatSession:
    """The session if it belongs to ``user_id``; anyone else gets SESSION_NOT_FOUND (no existence leak)."""
    row = await db.get(ChatSession, session_id)
    if row is None or row.user_id != user_id:
        raise not_found()
    return row


def message_out(msg: Message) -> MessageOut:
    emotion = msg.emotion or {}
    return MessageOut(
        id=msg.id,
        role=msg.role,
        text=msg.text,
        session_id=msg.session_id,
        created_at=msg.created_at,
        panel_url=msg.panel_url,
        video_url=msg.video_url,
        emotion_tags=emotion.get("primary_emotions") if msg.role == "user" else None,
        emotion_intensity=emotion.get("intensity") if msg.role == "user" else None,
        safety_level=msg.safety_level,
    )


def _seed(session_id: str) -> int:
    return zlib.crc32(session_id.encode("ascii", "ignore"))


async def _history(db: AsyncSession, session_id: str, limit: int = 6) -> list[tuple[str, str]]:
    rows = (
        await db.execute(
            select(Message)
            .where(Message.session_id == session_id, Message.safety_level != "crisis")
            .order_by(Message.created_at.desc())
            .limit(limit)
        )
    ).scalars()
    return [(r.role, r.text) for r in reversed(list(rows))]


def _analysis_without_words(analysis: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in analysis.items() if k not in ("keywords", "processing_notes")}


_KEY_RE = re.compile(IDEMPOTENCY_KEY_PATTERN)


def check_idempotency_key(key: str | None) -> str | None:
    """The key if it is well-formed (the router's header validation says the same), else VALIDATION_ERROR."""
    if key is None:
        return None
    if not (IDEMPOTENCY_KEY_MIN <= len(key) <= IDEMPOTENCY_KEY_MAX and _KEY_RE.match(key)):
        raise AppError(
            ErrorCode.VALIDATION_ERROR,
            details={
                "field": "Idempotency-Key",
                "reason": f"{IDEMPOTENCY_KEY_MIN}-{IDEMPOTENCY_KEY_MAX} characters of A-Z a-z 0-9 _ -",
            },
        )
    return key


async def _keyed_message(db: AsyncSession, *, session_id: str, user_id: str, key: str) -> Message | None:
    """The user message stored under ``key`` in this session of this user (keys are scoped per session)."""
    stmt = select(Message).where(
        Message.session_id == session_id,
        Message.client_key == key,
        Message.user_id == user_id,
        Message.role == "user",
    )
    row: Message | None = (await db.execute(stmt)).scalar_one_or_none()
    return row


async def _replay(db: AsyncSession, *, user_msg: Message, text: str, reason: str) -> ChatReply:
    """The stored turn for a retried request: no safety gate, no crew, no new rows.

    The user message, the duck reply that answered it (``reply_to``), the stored analysis (with the
    keywords from the emotion log), the safety level with its categories and hotlines, the panel/video
    URLs and the timing are those of the first request. ``therapy_tip`` and ``content`` (library cards
    chosen by the crew) are not stored per message: they are ``null`` in a replay."""
    if user_msg.text != text:
        raise AppError(
            ErrorCode.IDEMPOTENCY_KEY_REUSED,
            details={"header": "Idempotency-Key", "reason": "different_text"},
        )
    duck_msg = (
        await db.execute(
            select(Message)
            .where(Message.reply_to == user_msg.id, Message.role == "duck")
            .order_by(Message.created_at)
            .limit(1)
        )
    ).scalar_one_or_none()
    if duck_msg is None:  # the two rows are committed together: only a half-written row could get here
        raise AppError(
            ErrorCode.IDEMPOTENCY_CONFLICT, details={"header": "Idempotency-Key", "reason": "no_reply"}
        )
    emotion_log = (
        await db.execute(select(EmotionLog).where(EmotionLog.message_id == user_msg.id).limit(1))
    ).scalar_one_or_none()
    analysis: dict[str, Any] = dict(user_msg.emotion or {})
    details: dict[str, Any] = {}
    if emotion_log is not None:
        analysis["keywords"] = list(emotion_log.keywords or [])
        details = emotion_log.details or {}
    level = user_msg.safety_level
    safety = SafetyOut.model_validate(
        {
            "level": level,
            "categories": list(details.get("safety_categories") or []),
            "hotlines": [h.as_dict() for h in hotlines_for_level(level, details.get("locale"))],
        }
    )
    m.CHAT_REPLAYS.labels(reason).inc()
    log.info("chat.idempotent_replay", session_id=user_msg.session_id, reason=reason)
    return ChatReply(
        user_message=message_out(user_msg),
        duck_response=message_out(duck_msg),
        emotion_analysis=analysis,
        safety=safety,
        therapy_tip=None,
        content=None,
        processing_time_ms=duck_msg.processing_time_ms or 0,
        replayed=True,
    )


def _is_key_violation(exc: IntegrityError) -> bool:
    # PostgreSQL names the index (ix_messages_session_id_client_key), SQLite the columns
    return "client_key" in str(exc.orig)


async def send_message(
    *,
    db: AsyncSession,
    settings: Settings,
    user: User,
    payload: MessageIn,
    request: Request | None = None,
    idempotency_key: str | None = None,
) -> ChatReply:
    """One turn: the safety gate, the crew (unless crisis), both messages and the emotion log in one commit.

    With ``idempotency_key`` (the ``Idempotency-Key`` header) a request whose key is already stored in this
    session is answered from the stored turn (``reply.replayed``), a different text under the same key is
    ``IDEMPOTENCY_KEY_REUSED`` (422); a concurrent duplicate that loses the race on the unique index is
    answered from the winner's turn, or ``IDEMPOTENCY_CONFLICT`` (409) when there is none to replay."""
    started = time.perf_counter()
    key = check_idempotency_key(idempotency_key)
    text = payload.text.strip()
    if not text:
        raise AppError(ErrorCode.VALIDATION_ERROR, details={"field": "text", "reason": "empty"})
    if len(text) > settings.max_message_chars:
        raise AppError(
            ErrorCode.VALIDATION_ERROR,
            details={"field": "text", "reason": "too_long", "max_chars": settings.max_message_chars},
        )
    session = await get_owned_session(db=db, user_id=user.id, session_id=payload.session_id)
    session_id, user_id = session.id, user.id  # still readable after a rollback
    if key is not None:
        stored = await _keyed_message(db, session_id=session_id, user_id=user_id, key=key)
        if stored is not None:
            return await _replay(db, user_msg=stored, text=text, reason="retry")
    requested_locale = payload.context.locale or (session.metadata_ or {}).get("locale")

    # 1. the safety gate - deterministic, before any agent
    safety: SafetyResult = check_message(text, locale=requested_locale)
    m.SAFETY_LEVELS.labels(safety.level).inc()
    now = utcnow()
    user_msg = Message(
        id=new_id(),
        session_id=session.id,
        user_id=user.id,
        role="user",
        text=text,
        safety_level=safety.level,
        flagged=safety.level == "crisis",
        created_at=now,
        client_key=key,
    )
    db.add(user_msg)  # flushed with the reply at commit: the crisis path makes no extra round trip

    tip_out: dict[str, Any] | None = None
    content_out: dict[str, Any] | None = None
    panel_url: str | None = None
    video_url: str | None = None
    if safety.level == "crisis":
        # 2a. crisis: fixed human-written reply with hotlines, flag, audit, alert metric; NO agent runs
        analysis = dict(CRISIS_ANALYSIS)
        reply_text = safety.crisis_reply or ""
        m.CRISIS_MESSAGES.inc()
        record_audit(
            db,
            action="safety.crisis",
            actor_user_id=user.id,
            subject_user_id=user.id,
            details={
                "message_id": user_msg.id,
                "session_id": session.id,
                "categories": safety.categories,
                "rules": safety.rules,
                "locale": safety.locale,
            },
            request=request,
        )
        log.warning("safety.crisis", session_id=session.id, categories=safety.categories)
    else:
        # 2b. the crew (Listener -> TherapyTips? -> ContentRecall? -> DuckStyle) in a worker thread
        spec = settings.duck_llm
        history = [] if spec == "local" else await _history(db, session.id)
        turn = TurnState(
            message=text,
            locale=safety.locale,
            seed=_seed(session.id),
            style=payload.context.response_style,
            safety_level=safety.level,
            resource_line=safety.resource_line,
            include_content=payload.context.include_content,
            include_therapy=payload.context.include_therapy,
            history=history,
        )
        turn = await arun_turn(turn, spec=spec)
        assert turn.analysis is not None and turn.reply is not None
        analysis = turn.analysis.model_dump()
        reply_text = turn.reply.text
        if turn.tip is not None:
            tip = tips().get(turn.tip.tip_id)
            if tip is not None:
                tip_out = tip.as_dict()
                tip_out["alternatives"] = [a for a in turn.tip.alternative_ids if a in tips()]
                m.FEATURE_USAGE.labels("tips").inc()
        if turn.content is not None:
            library = assets()
            panel = library.get(turn.content.panel_id or "")
            video = library.get(turn.content.video_id or "")
            panel_url = panel.url if panel else None
            video_url = video.url if video else None
            content_out = {
                "panels": [panel.as_dict()] if panel else [],
                "videos": [video.as_dict()] if video else [],
            }
            if panel or video:
                m.FEATURE_USAGE.labels("content").inc()
        m.MESSAGES.labels(analysis["sentiment"]).inc()
        if turn.fallbacks:
            log.info("crew.fallback", tasks=turn.fallbacks)

    user_msg.emotion = _analysis_without_words(analysis)
    duck_msg = Message(
        session_id=session.id,
        user_id=user.id,
        role="duck",
        text=reply_text,
        safety_level=safety.level,
        panel_url=panel_url,
        video_url=video_url,
        created_at=utcnow(),
        reply_to=user_msg.id,
    )
    db.add(duck_msg)
    db.add(
        EmotionLog(
            user_id=user.id,
            session_id=session.id,
            message_id=user_msg.id,
            sentiment=analysis["sentiment"],
            primary_emotion=(analysis.get("primary_emotions") or [None])[0],
            secondary_emotions=analysis.get("secondary_emotions") or [],
            intensity=float(analysis.get("intensity") or 0.0),
            urgency=int(analysis.get("urgency_level") or 1),
            topics=analysis.get("topics") or [],
            psychological_needs=analysis.get("psychological_needs") or [],
            support_type=analysis.get("support_type"),
            keywords=analysis.get("keywords") or [],
            confidence=analysis.get("confidence_score"),
            # what a replay needs to rebuild `safety` (category names and the locale, never text)
            details={
                "safety_level": safety.level,
                "safety_categories": list(safety.categories),
                "locale": safety.locale,
            },
            created_at=now,
        )
    )
    session.last_message_at = duck_msg.created_at
    session.message_count = (session.message_count or 0) + 2
    elapsed_ms = int((time.perf_counter() - started) * 1000)
    duck_msg.processing_time_ms = elapsed_ms
    try:
        await db.commit()
    except IntegrityError as exc:
        await db.rollback()
        if key is None or not _is_key_violation(exc):
            raise
        # a concurrent request with the same key (e.g. a retry sent to another app host) stored first
        stored = await _keyed_message(db, session_id=session_id, user_id=user_id, key=key)
        if stored is None:
            raise AppError(
                ErrorCode.IDEMPOTENCY_CONFLICT, details={"header": "Idempotency-Key", "reason": "in_progress"}
            ) from None
        return await _replay(db, user_msg=stored, text=text, reason="race")
    m.FEATURE_USAGE.labels("chat").inc()
    await refresh_active_users(db)
    return ChatReply(
        user_message=message_out(user_msg),
        duck_response=message_out(duck_msg),
        emotion_analysis=analysis,
        safety=SafetyOut.model_validate(safety.public()),
        therapy_tip=tip_out,
        content=content_out,
        processing_time_ms=elapsed_ms,
    )


async def history(
    *,
    db: AsyncSession,
    user: User,
    session_id: str,
    limit: int,
    offset: int,
    since: datetime | None,
) -> HistoryOut:
    await get_owned_session(db=db, user_id=user.id, session_id=session_id)
    where = [Message.session_id == session_id]
    if since is not None:
        where.append(Message.created_at > (since if since.tzinfo else since.replace(tzinfo=UTC)))
    total = int((await db.execute(select(func.count()).select_from(Message).where(*where))).scalar_one())
    rows = (
        await db.execute(
            select(Message)
            .where(*where)
            .order_by(Message.created_at, Message.role.desc())
            .limit(limit)
            .offset(offset)
        )
    ).scalars()
    messages = [message_out(r) for r in rows]
    return HistoryOut(
        messages=messages,
        total_count=total,
        has_more=offset + len(messages) < total,
        pagination={"limit": limit, "offset": offset, "total_pages": max(1, -(-total // limit))},
    )


async def give_feedback(
    *, db: AsyncSession, user: User, message_id: str, helpful: bool | None, score: int | None
) -> MessageFeedback:
    if helpful is None and score is None:
        raise AppError(ErrorCode.VALIDATION_ERROR, details={"reason": "helpful or score required"})
    msg = await db.get(Message, message_id)
    if msg is None or msg.user_id != user.id or msg.role != "duck":
        raise AppError(ErrorCode.NOT_FOUND, status=404, details={"resource": "message"})
    existing = (
        await db.execute(
            select(MessageFeedback).where(
                MessageFeedback.message_id == message_id, MessageFeedback.user_id == user.id
            )
        )
    ).scalar_one_or_none()
    fb = existing or MessageFeedback(message_id=message_id, user_id=user.id)
    fb.helpful = helpful
    fb.score = score
    if existing is None:
        db.add(fb)
    await db.commit()
    m.FEEDBACK_SCORE.observe(score if score is not None else (5 if helpful else 1))
    m.FEATURE_USAGE.labels("feedback").inc()
    return fb


_active_users_at = 0.0


async def refresh_active_users(db: AsyncSession, *, force: bool = False) -> None:
    """duck_active_users{window} from the database, at most once a minute per process."""
    global _active_users_at  # noqa: PLW0603
    if not force and time.monotonic() - _active_users_at < 60:
        return
    _active_users_at = time.monotonic()
    now = utcnow()
    for window, delta in (("1d", timedelta(days=1)), ("7d", timedelta(days=7))):
        count = (
            await db.execute(
                select(func.count(distinct(Message.user_id))).where(
                    Message.role == "user", Message.created_at >= now - delta
                )
            )
        ).scalar_one()
        m.ACTIVE_USERS.labels(window).set(int(count))


def reply_chunks(text: str, size: int = 12) -> list[str]:
    """Split the final reply for SSE ``delta`` events (sentence-ish pieces, never splitting a code point)."""
    out: list[str] = []
    buf = ""
    for ch in text:
        buf += ch
        if ch in "。！？!?～~\n" or len(buf) >= size:
            out.append(buf)
            buf = ""
    if buf:
        out.append(buf)
    return out


def now_utc() -> datetime:
    return datetime.now(UTC)
