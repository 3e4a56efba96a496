"""A turn the hosted model's second opinion raises after the gate: to crisis (the crew's answer is dropped
for the crisis reply, flag + audit row with source ``second_opinion``) or to elevated (the crew's reply
with the resource line). The hosted model is replaced by what ``crew_with_second_opinion`` returns; the
gate, the offline crew, ``raised`` and the storage are the real ones."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select

from app.chat import service as chat_service
from app.chat.models import Message
from app.core.audit import AuditEvent
from app.emotions.models import EmotionLog
from app.safety import crisis_reply, resource_line
from tests.app.conftest import Account
from tests.app.duck_helpers import new_session, say

EVERYDAY = "今天吃了面条，有点累"


def _opinion(monkeypatch: pytest.MonkeyPatch, level: str, *, crew_done: bool) -> list[str]:
    """The second opinion says ``level``; with ``crew_done`` the real crew's turn comes back too (a crisis
    verdict that comes first returns none). Returns the messages the crew was run for."""
    ran: list[str] = []

    async def fake(turn: Any, *, settings: Any, context: Any, deadline: float) -> tuple[Any, str]:
        if not crew_done:
            return None, level
        ran.append(turn.message)
        return await chat_service.arun_turn(turn, spec=settings.duck_llm, deadline=deadline), level

    monkeypatch.setattr(chat_service, "crew_with_second_opinion", fake)
    return ran


async def _stored(db_session: Any, session_id: str) -> tuple[Message, Message, EmotionLog]:
    rows = list((await db_session.execute(select(Message).where(Message.session_id == session_id))).scalars())
    user = next(r for r in rows if r.role == "user")
    duck = next(r for r in rows if r.role == "duck")
    log = (await db_session.execute(select(EmotionLog).where(EmotionLog.message_id == user.id))).scalar_one()
    return user, duck, log


async def test_second_opinion_crisis_replaces_the_crew_reply(
    client: httpx.AsyncClient, guest: Account, db_session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran = _opinion(monkeypatch, "crisis", crew_done=False)
    sid = await new_session(client, guest.headers)
    data = await say(client, guest.headers, sid, EVERYDAY)

    assert ran == []
    assert data["safety"]["level"] == "crisis"
    assert "second_opinion" in data["safety"]["categories"]
    assert data["safety"]["hotlines"]
    user, duck, log = await _stored(db_session, sid)
    assert data["duck_response"]["text"] == crisis_reply(log.details["locale"]) == duck.text
    assert user.flagged is True and user.safety_level == "crisis" and duck.safety_level == "crisis"
    assert log.details["safety_level"] == "crisis"
    audit = (
        (await db_session.execute(select(AuditEvent).where(AuditEvent.action == "safety.crisis")))
        .scalars()
        .all()
    )
    mine = [a for a in audit if a.details["message_id"] == user.id]
    assert len(mine) == 1 and mine[0].details["source"] == "second_opinion"
    assert "second_opinion.llm" in mine[0].details["rules"]
    assert all("面条" not in str(a.details) for a in mine)  # no user text in the audit row


async def test_second_opinion_elevated_keeps_the_crew_reply_with_the_resource_line(
    client: httpx.AsyncClient, guest: Account, db_session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran = _opinion(monkeypatch, "elevated", crew_done=True)
    sid = await new_session(client, guest.headers)
    data = await say(client, guest.headers, sid, EVERYDAY)

    assert ran == [EVERYDAY]
    assert data["safety"]["level"] == "elevated"
    assert "second_opinion" in data["safety"]["categories"]
    user, duck, log = await _stored(db_session, sid)
    line = resource_line(log.details["locale"])
    assert line and data["duck_response"]["text"].endswith(line)
    assert data["duck_response"]["text"] != line  # the crew's reply comes first
    assert user.flagged is False and user.safety_level == "elevated" and duck.safety_level == "elevated"
    assert data["emotion_analysis"]["sentiment"] in ("positive", "neutral", "negative")
    crisis_rows = (
        (await db_session.execute(select(AuditEvent).where(AuditEvent.action == "safety.crisis")))
        .scalars()
        .all()
    )
    assert all(a.details["message_id"] != user.id for a in crisis_rows)
