"""Chat over REST: warm reply that picks up what was said, analysis, content, routed exercise; the
crisis gate (fixed hotline reply within 50 ms, no agent run, flag + audit + metric); history; ownership."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from app.agents import metrics as m
from app.chat import service as chat_service
from app.chat.models import Message
from app.core.audit import AuditEvent
from tests.app.conftest import Account
from tests.app.duck_helpers import API, new_session, say


async def test_chinese_message_gets_warm_reflective_reply(client: httpx.AsyncClient, guest: Account) -> None:
    sid = await new_session(client, guest.headers)
    data = await say(client, guest.headers, sid, "明天要面试，被老板催着交方案，好紧张，压力好大")
    reply = data["duck_response"]
    assert reply["role"] == "duck" and "鸭鸭" in reply["text"]
    assert any(w in reply["text"] for w in ("紧张", "焦虑", "压力", "面试")), reply["text"]
    ea = data["emotion_analysis"]
    assert ea["sentiment"] == "negative" and {"焦虑", "压力"} & set(ea["primary_emotions"])
    assert 1 <= ea["urgency_level"] <= 5 and 0 <= ea["confidence_score"] <= 1
    assert reply["panel_url"] and reply["panel_url"].startswith("/panels/")
    assert data["therapy_tip"] and data["therapy_tip"]["title"] in reply["text"]
    assert data["safety"] == {"level": "none", "categories": [], "hotlines": []}
    assert data["user_message"]["text"].startswith("明天要面试")
    assert isinstance(data["processing_time_ms"], int)


async def test_reply_echoes_the_persons_words(client: httpx.AsyncClient, guest: Account) -> None:
    sid = await new_session(client, guest.headers)
    data = await say(client, guest.headers, sid, "今天被老板当众批评了，好难过")
    assert "批评" in data["duck_response"]["text"]
    assert data["content"]["panels"]


async def test_neutral_message_no_content_no_tip_and_style(client: httpx.AsyncClient, guest: Account) -> None:
    sid = await new_session(client, guest.headers)
    data = await say(client, guest.headers, sid, "今天吃了面条")
    assert data["therapy_tip"] is None and data["duck_response"]["panel_url"] is None
    brief = await say(
        client, guest.headers, sid, "最近压力好大，好焦虑", response_style="brief", include_content=False
    )
    assert brief["duck_response"]["panel_url"] is None


async def test_crisis_gets_hotlines_fast_without_agents(
    client: httpx.AsyncClient, guest: Account, db_session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Any] = []

    async def no_crew(*a: Any, **k: Any) -> Any:
        calls.append(a)
        raise AssertionError("the crew must not run for a crisis message")

    monkeypatch.setattr(chat_service, "arun_turn", no_crew)
    sid = await new_session(client, guest.headers)
    before = m.CRISIS_MESSAGES._value.get()
    data = await say(client, guest.headers, sid, "我把药攒够了，这个世界没有我会更好")
    assert calls == []
    assert data["safety"]["level"] == "crisis"
    numbers = {h["number"] for h in data["safety"]["hotlines"]}
    assert {"12356", "400-161-9995", "010-82951332", "110", "120"} <= numbers
    assert "12356" in data["duck_response"]["text"]
    # the reply reports its own processing time (bench/bench_safety.py prints the gate's latency figures;
    # tests assert behaviour, not seconds): a second and third crisis message get the same reply, no crew
    timings = [data["processing_time_ms"]]
    for _ in range(2):
        again = await say(client, guest.headers, sid, "不想醒来了")
        assert again["safety"]["level"] == "crisis"
        timings.append(again["processing_time_ms"])
    assert all(isinstance(t, int) and t >= 0 for t in timings), timings
    assert calls == []
    assert m.CRISIS_MESSAGES._value.get() == before + 3
    msg = (
        await db_session.execute(select(Message).where(Message.id == data["user_message"]["id"]))
    ).scalar_one()
    assert msg.flagged is True and msg.safety_level == "crisis"
    audit = (
        (await db_session.execute(select(AuditEvent).where(AuditEvent.action == "safety.crisis")))
        .scalars()
        .all()
    )
    assert any(a.details["message_id"] == msg.id for a in audit)
    assert all("药" not in str(a.details) for a in audit)  # no user text in the audit row


async def test_crisis_english_locale(client: httpx.AsyncClient, guest: Account) -> None:
    sid = await new_session(client, guest.headers, locale="en-US")
    data = await say(client, guest.headers, sid, "I want to kill myself")
    assert data["safety"]["level"] == "crisis"
    assert "988" in data["duck_response"]["text"]


async def test_hyperbole_is_not_a_crisis(client: httpx.AsyncClient, guest: Account) -> None:
    sid = await new_session(client, guest.headers)
    data = await say(client, guest.headers, sid, "救命这个蛋糕太好吃了，累死了也值得")
    assert data["safety"]["level"] == "none"


async def test_elevated_adds_resource_line(client: httpx.AsyncClient, guest: Account) -> None:
    sid = await new_session(client, guest.headers)
    data = await say(client, guest.headers, sid, "我真的撑不下去了")
    assert data["safety"]["level"] == "elevated"
    assert "12356" in data["duck_response"]["text"].splitlines()[-1]
    assert data["therapy_tip"] is not None


async def test_history_pagination_and_since(client: httpx.AsyncClient, guest: Account) -> None:
    sid = await new_session(client, guest.headers)
    for text in ("第一句", "第二句", "第三句"):
        await say(client, guest.headers, sid, text)
    r = await client.get(f"{API}/chat/history/{sid}", params={"limit": 4}, headers=guest.headers)
    body = r.json()["data"]
    assert body["total_count"] == 6 and body["has_more"] is True and len(body["messages"]) == 4
    assert [x["role"] for x in body["messages"]] == ["user", "duck", "user", "duck"]
    assert body["messages"][0]["text"] == "第一句"
    r = await client.get(f"{API}/chat/history/{sid}", params={"limit": 4, "offset": 4}, headers=guest.headers)
    assert len(r.json()["data"]["messages"]) == 2 and r.json()["data"]["has_more"] is False
    future = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()
    r = await client.get(f"{API}/chat/history/{sid}", params={"since": future}, headers=guest.headers)
    assert r.json()["data"]["total_count"] == 0
    r = await client.get(f"{API}/chat/history/{sid}", params={"limit": 500}, headers=guest.headers)
    assert r.status_code == 422


async def test_someone_elses_session_is_not_found(client: httpx.AsyncClient, make_guest: Any) -> None:
    alice, bob = await make_guest(), await make_guest()
    sid = await new_session(client, alice.headers)
    r = await client.post(
        f"{API}/chat/messages", json={"text": "你好", "session_id": sid}, headers=bob.headers
    )
    assert r.status_code == 404 and r.json()["error"]["code"] == "SESSION_NOT_FOUND"
    r = await client.get(f"{API}/chat/history/{sid}", headers=bob.headers)
    assert r.json()["error"]["code"] == "SESSION_NOT_FOUND"
    r = await client.get(f"{API}/chat/history/no-such-session", headers=alice.headers)
    assert r.json()["error"]["code"] == "SESSION_NOT_FOUND"


async def test_bad_input(client: httpx.AsyncClient, guest: Account) -> None:
    sid = await new_session(client, guest.headers)
    r = await client.post(f"{API}/chat/messages", json={"text": "", "session_id": sid}, headers=guest.headers)
    assert r.status_code == 422 and r.json()["error"]["code"] == "VALIDATION_ERROR"
    r = await client.post(
        f"{API}/chat/messages", json={"text": "啊" * 2001, "session_id": sid}, headers=guest.headers
    )
    assert r.status_code == 422
    assert "啊啊啊" not in r.text  # the input is never echoed back
    r = await client.post(f"{API}/chat/messages", json={"text": "hi", "session_id": sid})
    assert r.status_code == 401
