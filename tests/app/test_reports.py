"""Reports: figures from the stored messages' emotion logs, comparison, warm summary, cache per period."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select

from app.emotions.models import EmotionLog
from app.reports.models import Report
from tests.app.conftest import Account
from tests.app.duck_helpers import API, new_session, say


async def test_daily_report_reflects_messages_and_caches(
    client: httpx.AsyncClient, guest: Account, db_session: Any
) -> None:
    sid = await new_session(client, guest.headers)
    for text in ("今天阳光很好，好开心！", "晚上吃到了喜欢的面，很开心", "可是有点担心明天的面试"):
        await say(client, guest.headers, sid, text)
    # yesterday: one sad message, written straight into the log
    yesterday = datetime.now(UTC) - timedelta(days=1)
    uid = guest.user_id
    db_session.add(
        EmotionLog(
            user_id=uid, session_id=sid, sentiment="negative", primary_emotion="悲伤",
            intensity=0.7, urgency=2, topics=["学业"], created_at=yesterday,
        )
    )  # fmt: skip
    await db_session.commit()

    r = await client.get(f"{API}/reports/daily/{sid}", headers=guest.headers)
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    report = data["report"]
    assert data["cached"] is False
    assert report["summary"]["total_interactions"] == 3
    assert report["summary"]["dominant_emotion"] == "开心"
    assert report["summary"]["positive_moments"] == 2
    assert 0 <= report["summary"]["emotion_stability"] <= 1
    assert [j["emotion"] for j in report["emotion_journey"]][:2] == ["开心", "开心"]
    assert "开心" in report["duck_encouragement"]
    vs = data["comparison"]["vs_yesterday"]
    assert vs["interaction_increase"] == 2 and vs["previous_dominant_emotion"] == "悲伤"
    assert vs["emotion_improvement"] > 0

    again = (await client.get(f"{API}/reports/daily/{sid}", headers=guest.headers)).json()["data"]
    assert again["cached"] is True and again["report"] == report
    rows = (await db_session.execute(select(Report).where(Report.session_id == sid))).scalars().all()
    assert len(rows) == 1

    await say(client, guest.headers, sid, "好难过")  # a new message in the period recomputes
    fresh = (await client.get(f"{API}/reports/daily/{sid}", headers=guest.headers)).json()["data"]
    assert fresh["cached"] is False and fresh["report"]["summary"]["total_interactions"] == 4

    y = (
        await client.get(
            f"{API}/reports/daily/{sid}", params={"date": yesterday.date().isoformat()}, headers=guest.headers
        )
    ).json()["data"]
    assert y["report"]["summary"]["dominant_emotion"] == "悲伤"


async def test_weekly_report(client: httpx.AsyncClient, guest: Account) -> None:
    sid = await new_session(client, guest.headers)
    await say(client, guest.headers, sid, "最近工作压力好大")
    await say(client, guest.headers, sid, "周末去爬山了，很开心")
    r = await client.get(f"{API}/reports/weekly/{sid}", headers=guest.headers)
    data = r.json()["data"]
    report = data["report"]
    assert report["summary"]["total_interactions"] == 2
    assert report["daily_breakdown"][0]["interaction_count"] == 2
    assert report["most_active_day"] in (
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    )
    assert "工作" in report["patterns_insights"]["common_stress_triggers"]
    assert "vs_last_week" in data["comparison"]


async def test_reports_belong_to_their_owner(client: httpx.AsyncClient, make_guest: Any) -> None:
    alice, bob = await make_guest(), await make_guest()
    sid = await new_session(client, alice.headers)
    r = await client.get(f"{API}/reports/daily/{sid}", headers=bob.headers)
    assert r.json()["error"]["code"] == "SESSION_NOT_FOUND"
    r = await client.get(f"{API}/reports/daily/{sid}", params={"date": "not-a-date"}, headers=alice.headers)
    assert r.status_code == 422
