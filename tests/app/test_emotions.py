"""Emotions: single-text analysis (Listener schema + safety verdict) and per-period analysis with trends."""

from __future__ import annotations

import httpx

from tests.app.conftest import Account
from tests.app.duck_helpers import API, new_session, say

LISTENER_FIELDS = {
    "sentiment", "intensity", "primary_emotions", "secondary_emotions", "keywords", "topics",
    "psychological_needs", "urgency_level", "support_type", "confidence_score",
}  # fmt: skip


async def test_analyze(client: httpx.AsyncClient, guest: Account) -> None:
    r = await client.post(
        f"{API}/emotions/analyze", json={"text": "最近工作压力有点大，感觉有些疲惫"}, headers=guest.headers
    )
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    ea = data["emotion_analysis"]
    assert set(ea) >= LISTENER_FIELDS
    assert ea["sentiment"] == "negative" and {"压力", "疲惫"} & set(
        ea["primary_emotions"] + ea["secondary_emotions"]
    )
    assert "工作" in ea["topics"]
    assert data["suggestions"]["content_recommendation"] is True
    assert data["safety"]["level"] == "none"


async def test_analyze_crisis_text(client: httpx.AsyncClient, guest: Account) -> None:
    r = await client.post(f"{API}/emotions/analyze", json={"text": "我不想活了"}, headers=guest.headers)
    data = r.json()["data"]
    assert data["safety"]["level"] == "crisis" and data["emotion_analysis"]["urgency_level"] == 5
    assert any(h["number"] == "12356" for h in data["safety"]["hotlines"])


async def test_period_analysis_with_trends(client: httpx.AsyncClient, guest: Account) -> None:
    sid = await new_session(client, guest.headers)
    for text in ("今天阳光很好，好开心！", "晚上和朋友吃饭，很开心", "有点担心明天的面试"):
        await say(client, guest.headers, sid, text)
    r = await client.get(
        f"{API}/emotions/analysis/{sid}",
        params={"period": "week", "include_trends": True},
        headers=guest.headers,
    )
    data = r.json()["data"]
    assert data["summary"]["total_messages"] == 3
    assert data["summary"]["dominant_emotion"] == "开心"
    assert abs(data["summary"]["positive_ratio"] - 2 / 3) < 0.01
    assert data["daily_trends"] and data["daily_trends"][0]["message_count"] == 3
    assert abs(sum(data["emotion_distribution"].values()) - 1) < 0.01
    assert data["insights"]
    r = await client.get(f"{API}/emotions/analysis/{sid}", params={"period": "year"}, headers=guest.headers)
    assert r.status_code == 422
