"""Chat: the safety gate first, then the crew (off the event loop); messages stored encrypted."""

from __future__ import annotations

import dataclasses
import re
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio
import structlog
from fastapi import Request
from sqlalchemy import ColumnElement, and_, distinct, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.agents import metrics as m
from app.agents.crew import arun_turn
from app.agents.hosted import parse_spec
from app.agents.libraries import assets, tips
from app.agents.schemas import CRISIS_ANALYSIS
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
from app.safety import check_message, crisis_reply, hotlines_for_level, resource_line
from app.safety import second_opinion as so
from app.safety.service import SafetyResult

log = structlog.get_logger("duck.chat")

# load jieba's dictionary and the hotline data at import, never on a request
check_message("预热")


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


#: category added to ``safety.categories`` of a message answered in careful mode (after a crisis reply)
CAREFUL_CATEGORY = "careful_mode"
#: category and rule id added when the hosted model's second opinion raised the level
SECOND_OPINION_CATEGORY = "second_opinion"
SECOND_OPINION_RULE = "second_opinion.llm"
#: of the message's budget, what the crew may use: the rest is for the offline answer and the commit
DEADLINE_RESERVE_SECONDS = 1.5


@dataclass(frozen=True)
class SessionSafety:
    """What the gate needs to know about the session, derived from the stored messages (so every worker
    and app host sees the same state; nothing is kept in process memory)."""

    #: the session's earlier user messages (at most CHAT_CONTEXT_MESSAGES, CHAT_CONTEXT_MINUTES), oldest first
    context: list[str]
    #: the duck's previous reply in the session was the crisis reply
    after_crisis: bool
    #: careful mode: how many messages, this one included, still run with the safety instruction (0: off)
    careful_left: int


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


async def session_safety(
    *, db: AsyncSession, settings: Settings, session_id: str, now: datetime | None = None
) -> SessionSafety:
    """The session's recent user messages, whether the last reply was a crisis reply, and careful mode.

    Careful mode lasts for the CHAT_CAREFUL_MESSAGES user messages that follow a crisis reply; a message
    answered in it is stored as ``elevated`` (never ``crisis``), so the count is read back from the rows."""
    now = now or utcnow()
    wanted = max(settings.chat_context_messages, settings.chat_careful_messages + 1)
    rows = list(
        (
            await db.execute(
                select(Message)
                .where(Message.session_id == session_id, Message.role.in_(("user", "duck")))
                .order_by(Message.created_at.desc(), Message.role.asc())  # a turn's reply before its message
                .limit(2 * wanted + 2)
            )
        ).scalars()
    )
    last_duck = next((r for r in rows if r.role == "duck"), None)
    after_crisis = last_duck is not None and last_duck.safety_level == "crisis"
    careful_left = 0
    users_since = 0
    for row in rows:
        if row.role == "duck" and row.safety_level == "crisis":
            careful_left = max(0, settings.chat_careful_messages - users_since)
            break
        if row.role == "user":
            users_since += 1
    since = now - timedelta(minutes=settings.chat_context_minutes)
    recent = [r.text for r in rows if r.role == "user" and _aware(r.created_at) >= since]
    context = list(reversed(recent[: settings.chat_context_messages]))
    return SessionSafety(context=context, after_crisis=after_crisis, careful_left=careful_left)


def careful(safety: SafetyResult) -> SafetyResult:
    """The gate's ``none`` or ``elevated`` in careful mode: answered as ``elevated`` (safety instruction,
    resource line), marked with the careful-mode category."""
    categories = [c for c in safety.categories if c != CAREFUL_CATEGORY]
    return dataclasses.replace(
        safety,
        level="elevated",
        categories=[*categories, CAREFUL_CATEGORY],
        hotlines=hotlines_for_level("elevated", safety.locale),
        resource_line=resource_line(safety.locale),
    )


def raised(safety: SafetyResult, level: str) -> SafetyResult:
    """The gate's result raised to ``level`` by the second opinion (crisis: the crisis reply)."""
    out = dataclasses.replace(
        safety,
        level="crisis" if level == "crisis" else "elevated",
        categories=[*safety.categories, SECOND_OPINION_CATEGORY],
        rules=[*safety.rules, SECOND_OPINION_RULE],
        hotlines=hotlines_for_level(level, safety.locale),
    )
    if level == "crisis":
        out.crisis_reply = crisis_reply(safety.locale)
        out.resource_line = None
    else:
        out.resource_line = resource_line(safety.locale)
    return out


async def crew_with_second_opinion(
    turn: TurnState,
    *,
    settings: Settings,
    context: Sequence[str],
    deadline: float,
) -> tuple[TurnState | None, str | None]:
    """Run the crew; with the second opinion on, ask the hosted model at the same time.

    Returns the crew's turn (None if a crisis verdict came first: the crisis reply does not wait for the
    crew) and the second opinion's level (None: off, failed, or not back when the crew was done - it never
    delays the reply)."""
    spec = settings.duck_llm
    if not settings.second_opinion_enabled:
        return await arun_turn(turn, spec=spec, deadline=deadline), None
    found: dict[str, Any] = {}
    async with anyio.create_task_group() as tg:

        async def opinion() -> None:
            seconds = min(settings.safety_second_opinion_timeout, max(0.0, deadline - time.monotonic()))
            level = await so.classify(turn.message, context=context, spec=parse_spec(spec), seconds=seconds)
            found["level"] = level
            if level == "crisis":
                tg.cancel_scope.cancel()  # the crisis reply goes out now

        tg.start_soon(opinion)
        found["turn"] = await arun_turn(turn, spec=spec, deadline=deadline)
        if "level" not in found:
            m.SECOND_OPINION.labels("late").inc()
        tg.cancel_scope.cancel()
    return found.get("turn"), found.get("level")


def _crisis_turn(
    db: AsyncSession,
    *,
    safety: SafetyResult,
    user: User,
    session_id: str,
    message_id: str,
    request: Request | None,
    source: str,
) -> tuple[dict[str, Any], str]:
    """The crisis reply: fixed analysis and text with hotlines, the alert metric, the audit row (category
    names and rule ids, never the text)."""
    m.CRISIS_MESSAGES.inc()
    record_audit(
        db,
        action="safety.crisis",
        actor_user_id=user.id,
        subject_user_id=user.id,
        details={
            "message_id": message_id,
            "session_id": session_id,
            "categories": list(safety.categories),
            "rules": list(safety.rules),
            "locale": safety.locale,
            "source": source,
        },
        request=request,
    )
    log.warning("safety.crisis", session_id=session_id, categories=safety.categories, source=source)
    return dict(CRISIS_ANALYSIS), safety.crisis_reply or ""


@dataclass
class _Answer:
    """What the turn answers with: the analysis, the reply text and (crew only) the tip and library cards."""

    analysis: dict[str, Any]
    text: str
    tip: dict[str, Any] | None = None
    content: dict[str, Any] | None = None
    panel_url: str | None = None
    video_url: str | None = None


def _validated_text(payload: MessageIn, settings: Settings) -> str:
    text = payload.text.strip()
    if not text:
        raise AppError(ErrorCode.VALIDATION_ERROR, details={"field": "text", "reason": "empty"})
    if len(text) > settings.max_message_chars:
        raise AppError(
            ErrorCode.VALIDATION_ERROR,
            details={"field": "text", "reason": "too_long", "max_chars": settings.max_message_chars},
        )
    return text


def _gate(text: str, *, locale: str | None, state: SessionSafety) -> SafetyResult:
    """The safety gate - deterministic, before any agent; it reads the session's recent messages."""
    safety: SafetyResult = check_message(
        text, locale=locale, context=state.context, after_crisis=state.after_crisis
    )
    m.SAFETY_LEVELS.labels(safety.level).inc()
    if safety.level != "crisis" and state.careful_left > 0:
        safety = careful(safety)  # after a crisis reply: the safety instruction and resource line
    return safety


def _user_message(
    *, session: ChatSession, user: User, text: str, safety: SafetyResult, now: datetime, key: str | None
) -> Message:
    return Message(
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


async def _run_crew(
    db: AsyncSession,
    *,
    settings: Settings,
    session: ChatSession,
    payload: MessageIn,
    text: str,
    safety: SafetyResult,
    state: SessionSafety,
    deadline: float,
    on_event: Callable[[str, Any], None] | None,
) -> tuple[TurnState | None, SafetyResult]:
    """The crew (Listener -> TherapyTips? -> ContentRecall? -> DuckStyle) in a worker thread and, when
    enabled, the hosted model's second opinion at the same time (it can only raise the level)."""
    history = [] if settings.duck_llm == "local" else await _history(db, session.id)
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
        on_event=on_event,
    )
    crew_turn, opinion = await crew_with_second_opinion(
        turn,
        settings=settings,
        context=[*state.context, text],
        deadline=deadline - DEADLINE_RESERVE_SECONDS,
    )
    if so.raises(safety.level, opinion):
        assert opinion is not None
        m.SECOND_OPINION_RAISED.labels(opinion).inc()
        safety = raised(safety, opinion)
    return crew_turn, safety


def _crew_answer(turn: TurnState, safety: SafetyResult) -> _Answer:
    """The crew's reply with the tip and the library cards it chose, and their metrics."""
    assert turn.analysis is not None and turn.reply is not None
    answer = _Answer(analysis=turn.analysis.model_dump(), text=turn.reply.text)
    if safety.resource_line and safety.resource_line not in answer.text:
        answer.text = f"{answer.text}\n{safety.resource_line}"  # raised to elevated after the crew
    if turn.tip is not None:
        tip = tips().get(turn.tip.tip_id)
        if tip is not None:
            answer.tip = tip.as_dict()
            answer.tip["alternatives"] = [a for a in turn.tip.alternative_ids if a in tips()]
            m.FEATURE_USAGE.labels("tips").inc()
    if turn.content is not None:
        library = assets()
        panel = library.get(turn.content.panel_id or "")
        video = library.get(turn.content.video_id or "")
        answer.panel_url = panel.url if panel else None
        answer.video_url = video.url if video else None
        answer.content = {
            "panels": [panel.as_dict()] if panel else [],
            "videos": [video.as_dict()] if video else [],
        }
        if panel or video:
            m.FEATURE_USAGE.labels("content").inc()
    m.MESSAGES.labels(answer.analysis["sentiment"]).inc()
    if turn.fallbacks:
        log.info("crew.fallback", tasks=turn.fallbacks)
    return answer


async def _answer(
    db: AsyncSession,
    *,
    settings: Settings,
    user: User,
    session: ChatSession,
    user_msg: Message,
    payload: MessageIn,
    text: str,
    safety: SafetyResult,
    state: SessionSafety,
    deadline: float,
    request: Request | None,
    on_event: Callable[[str, Any], None] | None,
) -> tuple[SafetyResult, _Answer]:
    """The crisis reply (NO agent runs) when the gate says crisis, else the crew's reply - unless the
    second opinion raised the turn to crisis, then the crew's answer is dropped for the crisis reply."""

    def crisis(safety: SafetyResult, source: str) -> _Answer:
        analysis, reply = _crisis_turn(
            db,
            safety=safety,
            user=user,
            session_id=session.id,
            message_id=user_msg.id,
            request=request,
            source=source,
        )
        return _Answer(analysis=analysis, text=reply)

    if safety.level == "crisis":
        return safety, crisis(safety, "gate")
    crew_turn, safety = await _run_crew(
        db,
        settings=settings,
        session=session,
        payload=payload,
        text=text,
        safety=safety,
        state=state,
        deadline=deadline,
        on_event=on_event,
    )
    if safety.level == "crisis":
        return safety, crisis(safety, "second_opinion")
    assert crew_turn is not None  # None only when a crisis verdict came before the crew was done
    return safety, _crew_answer(crew_turn, safety)


def _emotion_log(
    *, user: User, session: ChatSession, user_msg: Message, analysis: dict[str, Any], safety: SafetyResult
) -> EmotionLog:
    return EmotionLog(
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
        created_at=user_msg.created_at,
    )


def _store_reply(
    db: AsyncSession,
    *,
    user: User,
    session: ChatSession,
    user_msg: Message,
    safety: SafetyResult,
    answer: _Answer,
) -> Message:
    """The final level on the user message, the duck's reply, the emotion log and the session counters
    (added to the session; the caller commits)."""
    user_msg.safety_level, user_msg.flagged = safety.level, safety.level == "crisis"
    user_msg.emotion = _analysis_without_words(answer.analysis)
    duck_msg = Message(
        session_id=session.id,
        user_id=user.id,
        role="duck",
        text=answer.text,
        safety_level=safety.level,
        panel_url=answer.panel_url,
        video_url=answer.video_url,
        created_at=utcnow(),
        reply_to=user_msg.id,
    )
    db.add(duck_msg)
    db.add(
        _emotion_log(user=user, session=session, user_msg=user_msg, analysis=answer.analysis, safety=safety)
    )
    session.last_message_at = duck_msg.created_at
    session.message_count = (session.message_count or 0) + 2
    return duck_msg


async def _commit_turn(
    db: AsyncSession, *, key: str | None, session_id: str, user_id: str, text: str
) -> ChatReply | None:
    """Commit the turn; None when stored. A concurrent request with the same key (e.g. a retry sent to
    another app host) that stored first is answered from its turn, or IDEMPOTENCY_CONFLICT."""
    try:
        await db.commit()
    except IntegrityError as exc:
        await db.rollback()
        if key is None or not _is_key_violation(exc):
            raise
        stored = await _keyed_message(db, session_id=session_id, user_id=user_id, key=key)
        if stored is None:
            raise AppError(
                ErrorCode.IDEMPOTENCY_CONFLICT, details={"header": "Idempotency-Key", "reason": "in_progress"}
            ) from None
        return await _replay(db, user_msg=stored, text=text, reason="race")
    return None


async def send_message(
    *,
    db: AsyncSession,
    settings: Settings,
    user: User,
    payload: MessageIn,
    request: Request | None = None,
    idempotency_key: str | None = None,
    on_event: Callable[[str, Any], None] | None = None,
) -> ChatReply:
    """One turn: the safety gate, the crew (unless crisis), both messages and the emotion log in one commit.

    ``on_event`` (streaming, app.chat.stream): gets ("safety", SafetyOut) after the gate, then the crew's
    events (``TurnState.on_event``) from its thread.

    With ``idempotency_key`` (the ``Idempotency-Key`` header) a request whose key is already stored in this
    session is answered from the stored turn (``reply.replayed``), a different text under the same key is
    ``IDEMPOTENCY_KEY_REUSED`` (422); a concurrent duplicate that loses the race on the unique index is
    answered from the winner's turn, or ``IDEMPOTENCY_CONFLICT`` (409) when there is none to replay."""
    started = time.perf_counter()
    key = check_idempotency_key(idempotency_key)
    text = _validated_text(payload, settings)
    session = await get_owned_session(db=db, user_id=user.id, session_id=payload.session_id)
    session_id, user_id = session.id, user.id  # still readable after a rollback
    if key is not None:
        stored = await _keyed_message(db, session_id=session_id, user_id=user_id, key=key)
        if stored is not None:
            return await _replay(db, user_msg=stored, text=text, reason="retry")
    requested_locale = payload.context.locale or (session.metadata_ or {}).get("locale")

    deadline = time.monotonic() + settings.chat_deadline_seconds  # one budget for the whole message
    now = utcnow()
    state = await session_safety(db=db, settings=settings, session_id=session_id, now=now)
    safety = _gate(text, locale=requested_locale, state=state)
    if on_event is not None:
        on_event("safety", SafetyOut.model_validate(safety.public()))
    user_msg = _user_message(session=session, user=user, text=text, safety=safety, now=now, key=key)
    db.add(user_msg)  # flushed with the reply at commit: the crisis path makes no extra round trip

    safety, answer = await _answer(
        db,
        settings=settings,
        user=user,
        session=session,
        user_msg=user_msg,
        payload=payload,
        text=text,
        safety=safety,
        state=state,
        deadline=deadline,
        request=request,
        on_event=on_event,
    )
    duck_msg = _store_reply(db, user=user, session=session, user_msg=user_msg, safety=safety, answer=answer)
    elapsed_ms = int((time.perf_counter() - started) * 1000)
    duck_msg.processing_time_ms = elapsed_ms
    race = await _commit_turn(db, key=key, session_id=session_id, user_id=user_id, text=text)
    if race is not None:
        return race
    m.FEATURE_USAGE.labels("chat").inc()
    await refresh_active_users(db)
    return ChatReply(
        user_message=message_out(user_msg),
        duck_response=message_out(duck_msg),
        emotion_analysis=answer.analysis,
        safety=SafetyOut.model_validate(safety.public()),
        therapy_tip=answer.tip,
        content=answer.content,
        processing_time_ms=elapsed_ms,
    )


def _older_than(anchor: Message) -> ColumnElement[bool]:
    """Messages before ``anchor`` in history order (created_at, then a turn's message before its reply
    (role descending), then id)."""
    return or_(
        Message.created_at < anchor.created_at,
        and_(Message.created_at == anchor.created_at, Message.role > anchor.role),
        and_(Message.created_at == anchor.created_at, Message.role == anchor.role, Message.id < anchor.id),
    )


async def history(
    *,
    db: AsyncSession,
    session: ChatSession,
    limit: int,
    offset: int,
    since: datetime | None,
    before: str | None = None,
    latest: bool = False,
) -> HistoryOut:
    """A page of the session's messages, oldest first.

    Offset mode (default): ``offset`` messages from the oldest on. ``latest`` or ``before`` (a message id of
    this session): the ``limit`` messages right before ``before`` (or the newest ones), ``offset`` of them
    skipped from the newest end; ``next_before`` pages further back."""
    where: list[ColumnElement[bool]] = [Message.session_id == session.id]
    if since is not None:
        where.append(Message.created_at > (since if since.tzinfo else since.replace(tzinfo=UTC)))
    total = int((await db.execute(select(func.count()).select_from(Message).where(*where))).scalar_one())
    backwards = latest or before is not None
    page_where = list(where)
    if before is not None:
        anchor = await db.get(Message, before)
        if anchor is None or anchor.session_id != session.id:
            raise AppError(
                ErrorCode.NOT_FOUND, status=404, details={"resource": "message", "field": "before"}
            )
        page_where.append(_older_than(anchor))
    order: tuple[ColumnElement[Any], ...] = (Message.created_at.asc(), Message.role.desc(), Message.id.asc())
    if backwards:
        order = (Message.created_at.desc(), Message.role.asc(), Message.id.desc())
    rows = list(
        (
            await db.execute(
                select(Message).where(*page_where).order_by(*order).limit(limit + 1).offset(offset)
            )
        ).scalars()
    )
    more = len(rows) > limit
    rows = rows[:limit]
    if backwards:
        rows.reverse()
    older = more if backwards else offset > 0  # offset mode: the skipped messages are the older ones
    return HistoryOut(
        messages=[message_out(r) for r in rows],
        total_count=total,
        has_more=more,
        pagination={"limit": limit, "offset": offset, "total_pages": max(1, -(-total // limit))},
        next_before=rows[0].id if rows and older else None,
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
