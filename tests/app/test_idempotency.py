"""Idempotency-Key on the chat POSTs: a retried request is answered from the stored turn (no second safety
gate / crew run, no new rows, `Idempotent-Replayed: true`); a different text under a used key, a bad key and a
concurrent duplicate get clear envelope errors; keys are scoped per session and owner."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from app.agents import metrics as m
from app.chat import service as chat_service
from app.chat.models import Message
from app.core.audit import AuditEvent
from app.emotions.models import EmotionLog
from tests.app.conftest import Account
from tests.app.duck_helpers import API, new_session, parse_sse

REPLAYED = "Idempotent-Replayed"


def new_key() -> str:
    return uuid.uuid4().hex


async def post(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    sid: str,
    text: str,
    key: str | None,
    path: str = "/chat/messages",
) -> httpx.Response:
    h = dict(headers)
    if key is not None:
        h["Idempotency-Key"] = key
    return await client.post(f"{API}{path}", json={"text": text, "session_id": sid}, headers=h)


async def count_rows(db_session: Any, sid: str) -> tuple[int, int]:
    msgs = await db_session.scalar(select(func.count()).select_from(Message).where(Message.session_id == sid))
    logs = await db_session.scalar(
        select(func.count()).select_from(EmotionLog).where(EmotionLog.session_id == sid)
    )
    return int(msgs), int(logs)


def forbid_crew(monkeypatch: pytest.MonkeyPatch) -> None:
    async def no_crew(*a: Any, **k: Any) -> Any:
        raise AssertionError("a replay must not run the crew")

    def no_gate(*a: Any, **k: Any) -> Any:
        raise AssertionError("a replay must not run the safety gate")

    monkeypatch.setattr(chat_service, "arun_turn", no_crew)
    monkeypatch.setattr(chat_service, "check_message", no_gate)


async def test_retry_with_the_same_key_replays_the_stored_turn(
    client: httpx.AsyncClient, guest: Account, db_session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sid = await new_session(client, guest.headers)
    key = new_key()
    text = "明天要面试，好紧张，压力好大"
    first = await post(client, guest.headers, sid, text, key)
    assert first.status_code == 200, first.text
    assert REPLAYED not in first.headers
    rows = await count_rows(db_session, sid)
    assert rows == (2, 1)
    stored = (await db_session.execute(select(Message).where(Message.session_id == sid))).scalars().all()
    user_row = next(r for r in stored if r.role == "user")
    duck_row = next(r for r in stored if r.role == "duck")
    assert user_row.client_key == key and duck_row.client_key is None
    assert duck_row.reply_to == user_row.id

    forbid_crew(monkeypatch)
    before = m.CHAT_REPLAYS.labels("retry")._value.get()
    again = await post(client, guest.headers, sid, f"  {text} ", key)  # the stored text is stripped too
    assert again.status_code == 200, again.text
    assert again.headers[REPLAYED] == "true"
    a, b = first.json()["data"], again.json()["data"]
    assert b["user_message"] == a["user_message"]
    assert b["duck_response"] == a["duck_response"]
    assert b["safety"] == a["safety"]
    assert b["processing_time_ms"] == a["processing_time_ms"]
    without_notes = {k: v for k, v in a["emotion_analysis"].items() if k != "processing_notes"}
    assert b["emotion_analysis"] == without_notes
    assert b["therapy_tip"] is None and b["content"] is None  # documented: not stored per message
    assert "replayed" not in b and "replayed" not in a  # internal flag, the header says it
    assert await count_rows(db_session, sid) == rows
    assert m.CHAT_REPLAYS.labels("retry")._value.get() == before + 1
    history = (await client.get(f"{API}/chat/history/{sid}", headers=guest.headers)).json()["data"]
    assert history["total_count"] == 2


async def test_crisis_replay_keeps_the_hotlines_and_audits_once(
    client: httpx.AsyncClient, guest: Account, db_session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sid = await new_session(client, guest.headers)
    key = new_key()
    text = "我把药攒够了，这个世界没有我会更好"
    first = await post(client, guest.headers, sid, text, key)
    assert first.status_code == 200 and first.json()["data"]["safety"]["level"] == "crisis"
    crises = m.CRISIS_MESSAGES._value.get()
    audits = await db_session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "safety.crisis")
    )
    forbid_crew(monkeypatch)
    again = await post(client, guest.headers, sid, text, key)
    assert again.status_code == 200 and again.headers[REPLAYED] == "true"
    a, b = first.json()["data"], again.json()["data"]
    assert b["safety"] == a["safety"] and b["safety"]["hotlines"]
    assert "12356" in b["duck_response"]["text"]
    assert b["emotion_analysis"]["support_type"] == "crisis"
    assert m.CRISIS_MESSAGES._value.get() == crises
    assert (
        await db_session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "safety.crisis")
        )
        == audits
    )


async def test_same_key_with_a_different_text_is_refused(
    client: httpx.AsyncClient, guest: Account, db_session: Any
) -> None:
    sid = await new_session(client, guest.headers)
    key = new_key()
    assert (await post(client, guest.headers, sid, "今天吃了面条", key)).status_code == 200
    rows = await count_rows(db_session, sid)
    r = await post(client, guest.headers, sid, "今天吃了米饭", key)
    assert r.status_code == 422
    body = r.json()
    assert body["success"] is False and body["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert body["error"]["details"] == {"header": "Idempotency-Key", "reason": "different_text"}
    assert "米饭" not in r.text and "面条" not in r.text
    assert await count_rows(db_session, sid) == rows


@pytest.mark.parametrize(
    "key", ["abc1234", "x" * 129, "has space in it", "key.with.dots", "semi;colon;1234", ""]
)
async def test_bad_keys_are_validation_errors(
    client: httpx.AsyncClient, guest: Account, db_session: Any, key: str
) -> None:
    sid = await new_session(client, guest.headers)
    for path in ("/chat/messages", "/chat/messages/stream"):
        h = {**guest.headers, "Idempotency-Key": key}
        r = await client.post(f"{API}{path}", json={"text": "你好", "session_id": sid}, headers=h)
        assert r.status_code == 422, r.text
        body = r.json()
        assert body["success"] is False and body["error"]["code"] == "VALIDATION_ERROR"
        assert body["error"]["details"]["errors"][0]["loc"] == ["header", "Idempotency-Key"]
        if len(key) >= 5:
            assert key not in r.text  # never echoed back
    assert await count_rows(db_session, sid) == (0, 0)


@pytest.mark.parametrize("key", ["abcdefgh", "A" * 128, "0123_abc-XYZ"])
def test_service_accepts_the_documented_alphabet(key: str) -> None:
    assert chat_service.check_idempotency_key(key) == key
    assert chat_service.check_idempotency_key(None) is None
    with pytest.raises(chat_service.AppError):
        chat_service.check_idempotency_key(key + "!")


async def test_keys_are_scoped_per_session_and_owner(
    client: httpx.AsyncClient, make_guest: Any, db_session: Any
) -> None:
    alice, bob = await make_guest(), await make_guest()
    sid_a = await new_session(client, alice.headers)
    key = new_key()
    text = "一个人在外地过年，有点孤单"
    first = (await post(client, alice.headers, sid_a, text, key)).json()["data"]
    # bob cannot replay (or even see) alice's message with her key
    r = await post(client, bob.headers, sid_a, text, key)
    assert r.status_code == 404 and r.json()["error"]["code"] == "SESSION_NOT_FOUND"
    assert REPLAYED not in r.headers
    # the same key in bob's own session, or in another session of alice's, is a new message
    sid_b = await new_session(client, bob.headers)
    r = await post(client, bob.headers, sid_b, text, key)
    assert r.status_code == 200 and REPLAYED not in r.headers
    assert r.json()["data"]["user_message"]["id"] != first["user_message"]["id"]
    sid_a2 = await new_session(client, alice.headers)
    r = await post(client, alice.headers, sid_a2, text, key)
    assert r.status_code == 200 and REPLAYED not in r.headers
    assert r.json()["data"]["user_message"]["id"] != first["user_message"]["id"]
    assert await count_rows(db_session, sid_a) == (2, 1)


async def test_without_a_key_every_post_is_a_new_turn(
    client: httpx.AsyncClient, guest: Account, db_session: Any
) -> None:
    sid = await new_session(client, guest.headers)
    a = await post(client, guest.headers, sid, "今天吃了面条", None)
    b = await post(client, guest.headers, sid, "今天吃了面条", None)
    assert a.status_code == b.status_code == 200
    assert REPLAYED not in a.headers and REPLAYED not in b.headers
    assert a.json()["data"]["user_message"]["id"] != b.json()["data"]["user_message"]["id"]
    assert await count_rows(db_session, sid) == (4, 2)
    rows = (await db_session.execute(select(Message).where(Message.session_id == sid))).scalars().all()
    assert all(r.client_key is None for r in rows)
    users = {r.id for r in rows if r.role == "user"}
    assert {r.reply_to for r in rows if r.role == "duck"} == users


async def test_concurrent_duplicate_replays_the_winner(
    client: httpx.AsyncClient, guest: Account, db_session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The duplicate passed the look-up before the first one committed (another app host): its commit hits
    the unique index, it rolls back and answers with the stored turn."""
    sid = await new_session(client, guest.headers)
    key = new_key()
    first = await post(client, guest.headers, sid, "最近压力好大", key)
    assert first.status_code == 200
    rows = await count_rows(db_session, sid)
    real = chat_service._keyed_message
    calls: list[str] = []

    async def late(db: Any, **kw: Any) -> Any:
        calls.append(kw["key"])
        return None if len(calls) == 1 else await real(db, **kw)

    monkeypatch.setattr(chat_service, "_keyed_message", late)
    before = m.CHAT_REPLAYS.labels("race")._value.get()
    r = await post(client, guest.headers, sid, "最近压力好大", key)
    assert r.status_code == 200, r.text
    assert r.headers[REPLAYED] == "true" and len(calls) == 2
    assert r.json()["data"]["user_message"]["id"] == first.json()["data"]["user_message"]["id"]
    assert r.json()["data"]["duck_response"]["id"] == first.json()["data"]["duck_response"]["id"]
    assert m.CHAT_REPLAYS.labels("race")._value.get() == before + 1
    assert await count_rows(db_session, sid) == rows


async def test_duplicate_without_a_stored_turn_is_a_conflict(
    client: httpx.AsyncClient, guest: Account, db_session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sid = await new_session(client, guest.headers)
    key = new_key()
    assert (await post(client, guest.headers, sid, "今天吃了面条", key)).status_code == 200
    rows = await count_rows(db_session, sid)

    async def never(db: Any, **kw: Any) -> Any:
        return None

    monkeypatch.setattr(chat_service, "_keyed_message", never)
    r = await post(client, guest.headers, sid, "今天吃了面条", key)
    assert r.status_code == 409, r.text
    assert r.json()["error"]["code"] == "IDEMPOTENCY_CONFLICT"
    assert r.json()["error"]["details"] == {"header": "Idempotency-Key", "reason": "in_progress"}
    assert await count_rows(db_session, sid) == rows


async def test_sse_replay_streams_the_stored_turn(
    client: httpx.AsyncClient, guest: Account, db_session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sid = await new_session(client, guest.headers)
    key = new_key()
    text = "一个人在外地过年，有点孤单"
    first = await post(client, guest.headers, sid, text, key, path="/chat/messages/stream")
    assert first.status_code == 200 and REPLAYED not in first.headers
    forbid_crew(monkeypatch)
    again = await post(client, guest.headers, sid, text, key, path="/chat/messages/stream")
    assert again.status_code == 200 and again.headers[REPLAYED] == "true"
    assert again.headers["content-type"].startswith("text/event-stream")
    done_a, done_b = parse_sse(first.text)[-1][1], parse_sse(again.text)[-1][1]
    assert done_b["user_message"] == done_a["user_message"]
    assert done_b["duck_response"] == done_a["duck_response"]
    # the REST endpoint replays the same stored turn (the key is per session, not per endpoint)
    rest = await post(client, guest.headers, sid, text, key)
    assert rest.headers[REPLAYED] == "true"
    assert rest.json()["data"]["duck_response"]["id"] == done_a["duck_response"]["id"]
    assert await count_rows(db_session, sid) == (2, 1)
