"""Content recommendation from the library index, and feedback on recommended items."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.agents import metrics as m
from app.agents.libraries import assets, rank_assets
from app.auth.models import User
from app.chat.service import get_owned_session
from app.content.models import ContentAsset, ContentFeedback
from app.content.schemas import ContentFeedbackIn, RecommendIn
from app.core.errors import AppError, ErrorCode

DURATION = {"short": (0, 10), "medium": (8, 60), "long": (30, 10_000)}


def recommend(body: RecommendIn) -> dict[str, Any]:
    emotions = list(body.emotion_analysis.primary_emotions)
    if not emotions:
        emotions = {"positive": ["开心"], "negative": ["悲伤"]}.get(body.emotion_analysis.sentiment, ["平静"])
    out: dict[str, list[dict[str, Any]]] = {"panels": [], "videos": []}
    total = 0
    for kind, key in (("panel", "panels"), ("video", "videos")):
        if kind not in body.preferences.content_types:
            continue
        ranked = rank_assets(emotions, kind=kind)
        if kind == "video" and body.preferences.duration_preference:
            lo, hi = DURATION[body.preferences.duration_preference]
            ranked = [(a, s) for a, s in ranked if lo <= (a.duration_seconds or 0) <= hi] or ranked
        total += len(ranked)
        top = ranked[0][1] if ranked else 1.0
        for asset, score in ranked[: body.preferences.max_items]:
            item = asset.as_dict()
            item["relevance_score"] = round(min(1.0, score / max(top, 1e-9) * 0.95), 3)
            item["emotion_match"] = [e for e in emotions if e in asset.emotion_scores]
            out[key].append(item)
    m.FEATURE_USAGE.labels("content").inc()
    return {
        "recommendations": out,
        "match_explanation": f"根据你现在的「{'、'.join(emotions[:2])}」，挑了一些可能陪伴到你的鸭鸭内容",
        "total_matches": total,
        "recommendation_id": f"rec_{uuid.uuid4().hex[:12]}",
    }


async def feedback(*, db: AsyncSession, user: User, body: ContentFeedbackIn) -> ContentFeedback:
    if body.content_id not in assets() or await db.get(ContentAsset, body.content_id) is None:
        raise AppError(ErrorCode.CONTENT_NOT_AVAILABLE, details={"content_id": body.content_id})
    if body.session_id:
        await get_owned_session(db=db, user_id=user.id, session_id=body.session_id)
    row = ContentFeedback(
        asset_id=body.content_id,
        user_id=user.id,
        session_id=body.session_id,
        recommendation_id=body.recommendation_id,
        feedback_type=body.feedback_type,
        helpful={"helpful": True, "not_helpful": False}.get(body.feedback_type),
        rating=body.rating,
    )
    db.add(row)
    await db.commit()
    m.FEATURE_USAGE.labels("content_feedback").inc()
    return row
