"""Exercise suggestions from the library and practice records."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.agents import metrics as m
from app.agents.libraries import rank_tips, tips
from app.auth.models import User
from app.chat.service import get_owned_session
from app.core.errors import AppError, ErrorCode
from app.therapy.models import TherapyPractice, TherapyTip
from app.therapy.schemas import PracticeIn, TipsIn

GENERAL_SAFETY = "这些是自助练习，不能代替专业治疗；如果痛苦持续或加重，请联系心理援助热线 12356 或专业人士。"


def suggest(body: TipsIn) -> dict[str, Any]:
    emotions = list(body.emotion_analysis.primary_emotions) or (
        ["开心"] if body.emotion_analysis.sentiment == "positive" else ["压力"]
    )
    prefs = body.user_preferences
    ranked = rank_tips(
        emotions,
        max_minutes=prefs.time_available,
        categories=prefs.preferred_methods or None,
        difficulty=prefs.experience_level,
    )
    if not ranked:
        ranked = [(tips()["breathing_478"], 0.1)]
    primary, *rest = [t for t, _ in ranked]
    m.FEATURE_USAGE.labels("tips").inc()
    notes = [*primary.safety_notes, GENERAL_SAFETY]
    return {
        "primary_tip": primary.as_dict(),
        "alternative_tips": [t.as_dict() for t in rest[:3]],
        "follow_up_suggestions": list(primary.follow_up),
        "safety_notes": notes,
    }


async def record_practice(*, db: AsyncSession, user: User, body: PracticeIn) -> TherapyPractice:
    if body.tip_id not in tips() or await db.get(TherapyTip, body.tip_id) is None:
        raise AppError(ErrorCode.NOT_FOUND, status=404, details={"tip_id": body.tip_id})
    if body.session_id:
        await get_owned_session(db=db, user_id=user.id, session_id=body.session_id)
    row = TherapyPractice(
        user_id=user.id,
        tip_id=body.tip_id,
        session_id=body.session_id,
        status=body.completion_status,
        completed=body.completion_status == "completed",
        duration_seconds=int(body.duration_actual * 60) if body.duration_actual is not None else None,
        rating=body.effectiveness_rating,
        mood_before=body.mood_before,
        mood_after=body.mood_after,
        notes=body.notes,  # encrypted at rest by the column type
    )
    db.add(row)
    await db.commit()
    m.FEATURE_USAGE.labels("practice").inc()
    return row
