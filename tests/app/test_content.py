"""Content: recommendations from the shipped library (every supported emotion matches), feedback, files."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from app.agents.lexicon import SUPPORTED_EMOTIONS
from app.content.models import ContentAsset, ContentFeedback
from tests.app.conftest import Account
from tests.app.duck_helpers import API


@pytest.mark.parametrize("emotion", SUPPORTED_EMOTIONS)
async def test_every_emotion_finds_content(client: httpx.AsyncClient, guest: Account, emotion: str) -> None:
    r = await client.post(
        f"{API}/content/recommend",
        json={"emotion_analysis": {"primary_emotions": [emotion], "intensity": 0.6}},
        headers=guest.headers,
    )
    assert r.status_code == 200, r.text
    recs = r.json()["data"]["recommendations"]
    assert recs["panels"] and emotion in recs["panels"][0]["emotion_match"]
    assert 0 < recs["panels"][0]["relevance_score"] <= 1


async def test_preferences_and_feedback(
    client: httpx.AsyncClient, guest: Account, db_session: object
) -> None:
    r = await client.post(
        f"{API}/content/recommend",
        json={
            "emotion_analysis": {"sentiment": "negative", "primary_emotions": ["焦虑"]},
            "preferences": {"content_types": ["video"], "max_items": 1, "duration_preference": "medium"},
        },
        headers=guest.headers,
    )
    data = r.json()["data"]
    assert data["recommendations"]["panels"] == [] and len(data["recommendations"]["videos"]) == 1
    video = data["recommendations"]["videos"][0]
    assert video["format"] == "image/svg+xml" and video["duration"] == 19  # honest: an animated SVG loop
    r = await client.post(
        f"{API}/content/feedback",
        json={
            "recommendation_id": data["recommendation_id"],
            "content_id": video["id"],
            "feedback_type": "helpful",
            "rating": 5,
            "comment": "很温暖",
        },
        headers=guest.headers,
    )
    assert r.status_code == 200 and r.json()["data"]["comment_stored"] is False
    rows = (await db_session.execute(select(ContentFeedback))).scalars().all()  # type: ignore[attr-defined]
    assert any(row.asset_id == video["id"] and row.rating == 5 for row in rows)
    r = await client.post(
        f"{API}/content/feedback",
        json={"content_id": "nope", "feedback_type": "helpful"},
        headers=guest.headers,
    )
    assert r.status_code == 404 and r.json()["error"]["code"] == "CONTENT_NOT_AVAILABLE"


async def test_reference_data_seeded(db_session: object) -> None:
    ids = (await db_session.execute(select(ContentAsset.id))).scalars().all()  # type: ignore[attr-defined]
    assert len(ids) >= 20 and "panel_comfort_01" in ids


async def test_library_files_served_in_development(client: httpx.AsyncClient) -> None:
    r = await client.get("/panels/panel_comfort_01.svg")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    assert r.text.startswith("<svg")
    assert (await client.get("/videos/video_breathing_01.svg")).status_code == 200
    assert (await client.get("/panels/..%2F..%2Fapi.py")).status_code == 404
    assert (await client.get("/panels/missing.svg")).status_code == 404
