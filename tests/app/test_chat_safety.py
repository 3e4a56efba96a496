"""The crisis gate across the messages of a session: what chat passes the gate (recent messages, whether the
previous reply was the crisis reply) and careful mode after a crisis reply - over REST, SSE and WebSocket,
and across app workers (the state is read back from the stored messages, not kept in a process)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from httpx_ws import aconnect_ws
from httpx_ws.transport import ASGIWebSocketTransport
from sqlalchemy import select, update

from app.chat import service as chat_service
from app.chat.models import Message
from app.core.config import Settings
from app.main import create_app
from tests.app.conftest import Account, make_client
from tests.app.duck_helpers import API, new_session, parse_sse, say

CRISIS = "我把药攒够了，这个世界没有我会更好"
EVERYDAY = "今天吃了面条"


@pytest.fixture
def gate_calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What chat passes the gate, per message (the real gate still decides)."""
    calls: list[dict[str, Any]] = []
    real = chat_service.check_message

    def recording(text: str, **kwargs: Any) -> Any:
        context, after_crisis = list(kwargs["context"]), kwargs["after_crisis"]
        calls.append({"text": text, "context": context, "after_crisis": after_crisis})
        return real(text, **kwargs)

    monkeypatch.setattr(chat_service, "check_message", recording)
    return calls


@pytest.fixture
def crew_levels(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The safety level each crew run was given (elevated: the crew runs with the safety instruction)."""
    levels: list[str] = []
    real = chat_service.arun_turn

    async def recording(turn: Any, **kwargs: Any) -> Any:
        levels.append(turn.safety_level)
        return await real(turn, **kwargs)

    monkeypatch.setattr(chat_service, "arun_turn", recording)
    return levels


async def test_gate_sees_the_last_five_recent_user_messages(
    client: httpx.AsyncClient, guest: Account, db_session: Any, gate_calls: list[dict[str, Any]]
) -> None:
    sid = await new_session(client, guest.headers)
    texts = [f"第{i}件小事" for i in range(1, 8)]
    for text in texts:
        await say(client, guest.headers, sid, text)
    assert gate_calls[0]["context"] == []  # the session's first message has none
    assert gate_calls[1]["context"] == ["第1件小事"]
    assert gate_calls[6]["context"] == texts[1:6]  # at most five, oldest first, the new one not among them
    assert all(c["after_crisis"] is False for c in gate_calls)

    # a message sent more than CHAT_CONTEXT_MINUTES (30) ago is no context any more
    mine = select(Message).where(Message.session_id == sid, Message.role == "user")
    rows = list((await db_session.execute(mine.order_by(Message.created_at))).scalars())
    for row in rows[:6]:
        earlier = row.created_at - timedelta(minutes=31)
        await db_session.execute(update(Message).where(Message.id == row.id).values(created_at=earlier))
    await db_session.commit()
    await say(client, guest.headers, sid, "第8件小事")
    assert gate_calls[-1]["context"] == ["第7件小事"]


async def test_after_a_crisis_reply_the_gate_knows_and_the_session_is_careful(
    client: httpx.AsyncClient,
    guest: Account,
    gate_calls: list[dict[str, Any]],
    crew_levels: list[str],
) -> None:
    sid = await new_session(client, guest.headers)
    first = await say(client, guest.headers, sid, CRISIS)
    assert first["safety"]["level"] == "crisis" and crew_levels == []

    # a short answer to the crisis reply: the gate is told the previous reply was the crisis reply, and a
    # "yes" to it is a crisis answer: the crisis reply again, no agent
    yes = await say(client, guest.headers, sid, "嗯")
    assert gate_calls[-1] == {"text": "嗯", "context": [CRISIS], "after_crisis": True}
    assert yes["safety"]["level"] == "crisis" and crew_levels == []

    # the next message after a crisis reply is at least elevated: safety instruction, resource line
    first_after = await say(client, guest.headers, sid, EVERYDAY)
    assert gate_calls[-1]["after_crisis"] is True
    assert first_after["safety"]["level"] == "elevated"
    assert {h["number"] for h in first_after["safety"]["hotlines"]} >= {"12356"}
    assert "12356" in first_after["duck_response"]["text"].splitlines()[-1]
    assert crew_levels == ["elevated"]

    # CHAT_CAREFUL_MESSAGES (3) messages in all: the gate alone says none, careful mode keeps them elevated
    for _ in range(2):
        data = await say(client, guest.headers, sid, EVERYDAY)
        assert data["safety"]["level"] == "elevated" and "careful_mode" in data["safety"]["categories"]
        assert gate_calls[-1]["after_crisis"] is False  # the previous reply was not the crisis reply
    normal = await say(client, guest.headers, sid, EVERYDAY)
    assert normal["safety"] == {"level": "none", "categories": [], "hotlines": []}
    assert "12356" not in normal["duck_response"]["text"]
    assert crew_levels == ["elevated", "elevated", "elevated", "none"]

    # a new crisis signal gets the crisis reply again, and careful mode starts over
    again = await say(client, guest.headers, sid, CRISIS)
    assert again["safety"]["level"] == "crisis" and "12356" in again["duck_response"]["text"]
    assert len(crew_levels) == 4  # no agent ran
    after = await say(client, guest.headers, sid, EVERYDAY)
    assert after["safety"]["level"] == "elevated" and gate_calls[-1]["after_crisis"] is True


async def test_careful_mode_is_per_session(client: httpx.AsyncClient, guest: Account) -> None:
    crisis_sid = await new_session(client, guest.headers)
    await say(client, guest.headers, crisis_sid, CRISIS)
    other = await new_session(client, guest.headers)
    data = await say(client, guest.headers, other, EVERYDAY)
    assert data["safety"]["level"] == "none"


async def test_careful_mode_survives_another_worker(
    client: httpx.AsyncClient, guest: Account, settings: Settings
) -> None:
    """The next message handled by another app process (a second gunicorn worker or app host on the same
    database) is still answered in careful mode."""
    sid = await new_session(client, guest.headers)
    await say(client, guest.headers, sid, CRISIS)
    worker2 = create_app(settings)
    async with worker2.router.lifespan_context(worker2), make_client(worker2) as client2:
        data = await say(client2, guest.headers, sid, EVERYDAY)
    assert data["safety"]["level"] == "elevated" and "careful_mode" in data["safety"]["categories"]


async def test_careful_mode_over_sse(client: httpx.AsyncClient, guest: Account) -> None:
    sid = await new_session(client, guest.headers)
    await say(client, guest.headers, sid, CRISIS)
    r = await client.post(
        f"{API}/chat/messages/stream", json={"text": EVERYDAY, "session_id": sid}, headers=guest.headers
    )
    assert r.status_code == 200
    events = parse_sse(r.text)
    emotion = next(d for n, d in events if n == "emotion")
    assert emotion["safety"]["level"] == "elevated" and "careful_mode" in emotion["safety"]["categories"]
    streamed = "".join(d["text"] for n, d in events if n == "delta")
    assert "12356" in streamed.splitlines()[-1]
    # and a crisis signal over SSE after that is the crisis reply
    r = await client.post(
        f"{API}/chat/messages/stream", json={"text": CRISIS, "session_id": sid}, headers=guest.headers
    )
    done = next(d for n, d in parse_sse(r.text) if n == "done")
    assert done["safety"]["level"] == "crisis"


@pytest.fixture
async def ws_client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=ASGIWebSocketTransport(app), base_url="http://testserver") as c:
        yield c


async def test_careful_mode_over_websocket(
    client: httpx.AsyncClient, ws_client: httpx.AsyncClient, guest: Account, gate_calls: list[dict[str, Any]]
) -> None:
    sid = await new_session(client, guest.headers)
    async with aconnect_ws(f"/ws/chat/{sid}?token={guest.access_token}", ws_client) as ws:
        await ws.receive_json()  # connected
        await ws.send_json({"type": "user_message", "data": {"text": CRISIS}})
        crisis = await ws.receive_json(timeout=60)
        await ws.send_json({"type": "user_message", "data": {"text": EVERYDAY}})
        careful = await ws.receive_json(timeout=60)
    assert crisis["data"]["safety"]["level"] == "crisis"
    assert gate_calls[-1] == {"text": EVERYDAY, "context": [CRISIS], "after_crisis": True}
    assert careful["data"]["safety"]["level"] == "elevated"
    assert "careful_mode" in careful["data"]["safety"]["categories"]
    assert "12356" in careful["data"]["message"]["text"].splitlines()[-1]


async def test_stored_levels_say_what_the_person_got(
    client: httpx.AsyncClient, guest: Account, db_session: Any
) -> None:
    """The crisis reply is stored as crisis (flagged); a careful-mode turn as elevated; history shows both."""
    sid = await new_session(client, guest.headers)
    await say(client, guest.headers, sid, CRISIS)
    await say(client, guest.headers, sid, EVERYDAY)
    r = await client.get(f"{API}/chat/history/{sid}", headers=guest.headers)
    levels = [(m["role"], m["safety_level"]) for m in r.json()["data"]["messages"]]
    assert levels == [("user", "crisis"), ("duck", "crisis"), ("user", "elevated"), ("duck", "elevated")]
    users = select(Message.flagged).where(Message.session_id == sid, Message.role == "user")
    flagged = (await db_session.execute(users)).scalars()
    assert sorted(flagged) == [False, True]
