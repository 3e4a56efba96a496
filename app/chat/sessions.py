"""My conversations: the list (newest activity first, keyset pages), renaming one.

Erasing one conversation is ``app.privacy.service.erase_conversation`` (privacy knows every table that
holds a conversation's content; the account erasure uses the same code).

The list is ordered by *last activity* (the latest message, or the creation time of an empty session),
then by id, both descending. A page's ``next_cursor`` is that key of its last item; the next page starts
strictly after it, so paging never repeats or skips a conversation that did not change meanwhile. A
conversation that gets a new message while the client pages moves to the top: it is not repeated on a
later page (its new key is above the cursor) and shows up at the top on the next refresh.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import User
from app.chat.models import ChatSession
from app.chat.schemas import SessionItem, SessionPage
from app.core.errors import AppError, ErrorCode
from app.core.types import UTCDateTime

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICRO = timedelta(microseconds=1)

#: a session's last activity in SQL: its latest message, else its creation
activity = func.coalesce(ChatSession.last_message_at, ChatSession.created_at, type_=UTCDateTime())


def last_activity(row: ChatSession) -> datetime:
    return row.last_message_at or row.created_at


def session_item(row: ChatSession) -> SessionItem:
    locale = (row.metadata_ or {}).get("locale")
    return SessionItem(
        session_id=row.id,
        title=row.title,
        message_count=row.message_count or 0,
        last_activity_at=last_activity(row),
        created_at=row.created_at,
        locale=locale if isinstance(locale, str) else None,
    )


def encode_cursor(row: ChatSession) -> str:
    """``<last activity in microseconds since 1970>.<session id>`` (clients treat it as opaque)."""
    return f"{(last_activity(row) - _EPOCH) // _MICRO}.{row.id}"


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    """The key a cursor stands for. Any string of the documented pattern is a valid position (the
    router's pattern guarantees the shape); anything else is VALIDATION_ERROR."""
    micros, sep, session_id = cursor.partition(".")
    if not (sep and micros.isdigit() and len(micros) <= 17 and session_id):
        raise AppError(ErrorCode.VALIDATION_ERROR, details={"field": "cursor", "reason": "malformed"})
    return _EPOCH + int(micros) * _MICRO, session_id


async def list_sessions(*, db: AsyncSession, user: User, limit: int, cursor: str | None) -> SessionPage:
    stmt = select(ChatSession).where(ChatSession.user_id == user.id)
    if cursor is not None:
        at, session_id = decode_cursor(cursor)
        stmt = stmt.where(or_(activity < at, and_(activity == at, ChatSession.id < session_id)))
    rows = list(
        (await db.execute(stmt.order_by(activity.desc(), ChatSession.id.desc()).limit(limit + 1))).scalars()
    )
    page = rows[:limit]
    more = len(rows) > limit
    return SessionPage(
        items=[session_item(r) for r in page], next_cursor=encode_cursor(page[-1]) if more else None
    )


async def rename_session(*, db: AsyncSession, session: ChatSession, title: str) -> SessionItem:
    """Set the title (already trimmed and checked by the schema; stored encrypted like the messages)."""
    session.title = title
    await db.commit()
    return session_item(session)
