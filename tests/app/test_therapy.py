"""Therapy: exercise suggestions from the library and practice records."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select

from app.therapy.models import TherapyPractice
from tests.app.conftest import Account
from tests.app.duck_helpers import API, new_session


async def test_tips(client: httpx.AsyncClient, guest: Account) -> None:
    r = await client.post(
        f"{API}/therapy/tips",
        json={
            "emotion_analysis": {
                "sentiment": "negative",
                "primary_emotions": ["焦虑", "压力"],
                "intensity": 0.8,
            },
            "user_preferences": {"experience_level": "beginner", "time_available": 5},
        },
        headers=guest.headers,
    )
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    tip = data["primary_tip"]
    assert tip["category"] == "breathing" and len(tip["steps"]) >= 3 and tip["duration_minutes"] <= 5
    assert data["alternative_tips"] and data["safety_notes"]
    assert any("12356" in n for n in data["safety_notes"])


async def test_library_has_the_classics(client: httpx.AsyncClient, guest: Account) -> None:
    r = await client.get(f"{API}/therapy/library", headers=guest.headers)
    ids = {t["id"] for t in r.json()["data"]}
    assert {
        "breathing_478",
        "box_breathing",
        "mindfulness_5min",
        "grounding_54321",
        "abcde_reframe",
        "pmr_short",
    } <= ids


async def test_practice_record(client: httpx.AsyncClient, guest: Account, db_session: Any) -> None:
    sid = await new_session(client, guest.headers)
    r = await client.post(
        f"{API}/therapy/practice",
        json={
            "tip_id": "breathing_478",
            "session_id": sid,
            "completion_status": "completed",
            "duration_actual": 4,
            "effectiveness_rating": 4,
            "mood_before": 0.3,
            "mood_after": 0.7,
            "notes": "感觉放松了很多",
        },
        headers=guest.headers,
    )
    assert r.status_code == 201, r.text
    assert r.json()["data"]["mood_change"] == 0.4
    row = (
        await db_session.execute(select(TherapyPractice).where(TherapyPractice.id == r.json()["data"]["id"]))
    ).scalar_one()
    assert row.duration_seconds == 240 and row.notes == "感觉放松了很多"
    r = await client.post(f"{API}/therapy/practice", json={"tip_id": "nope"}, headers=guest.headers)
    assert r.status_code == 404
    r = await client.post(
        f"{API}/therapy/practice", json={"tip_id": "breathing_478", "mood_before": 3}, headers=guest.headers
    )
    assert r.status_code == 422
