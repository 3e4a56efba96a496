"""Feedback on duck replies feeds duck_feedback_score."""

from __future__ import annotations

import httpx

from app.agents import metrics as m
from tests.app.conftest import Account
from tests.app.duck_helpers import API, new_session, say


def _count() -> float:
    for metric in m.FEEDBACK_SCORE.collect():
        for sample in metric.samples:
            if sample.name.endswith("_count"):
                return float(sample.value)
    return 0.0


async def test_feedback_on_duck_reply(client: httpx.AsyncClient, guest: Account) -> None:
    sid = await new_session(client, guest.headers)
    data = await say(client, guest.headers, sid, "今天有点累")
    duck_id = data["duck_response"]["id"]
    before = _count()
    r = await client.post(
        f"{API}/chat/messages/{duck_id}/feedback", json={"helpful": True, "score": 5}, headers=guest.headers
    )
    assert r.status_code == 200 and r.json()["data"]["score"] == 5
    r = await client.post(
        f"{API}/chat/messages/{duck_id}/feedback", json={"helpful": False}, headers=guest.headers
    )
    assert r.status_code == 200 and r.json()["data"]["helpful"] is False  # updated, not duplicated
    assert _count() == before + 2
    metrics = (await client.get("/metrics")).text
    assert "duck_feedback_score_bucket" in metrics and "duck_messages_total" in metrics


async def test_feedback_validation(client: httpx.AsyncClient, make_guest: object) -> None:
    alice = await make_guest()  # type: ignore[operator]
    bob = await make_guest()  # type: ignore[operator]
    sid = await new_session(client, alice.headers)
    data = await say(client, alice.headers, sid, "你好")
    duck_id, user_id = data["duck_response"]["id"], data["user_message"]["id"]
    r = await client.post(f"{API}/chat/messages/{duck_id}/feedback", json={"score": 9}, headers=alice.headers)
    assert r.status_code == 422
    r = await client.post(f"{API}/chat/messages/{duck_id}/feedback", json={}, headers=alice.headers)
    assert r.status_code == 422
    r = await client.post(f"{API}/chat/messages/{user_id}/feedback", json={"score": 3}, headers=alice.headers)
    assert r.status_code == 404
    r = await client.post(f"{API}/chat/messages/{duck_id}/feedback", json={"score": 3}, headers=bob.headers)
    assert r.status_code == 404
