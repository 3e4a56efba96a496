"""Daily and weekly reports: figures from emotion_logs, the Report agent's warm summary, cached per period.

A cached report is reused while the period's emotion logs are unchanged (same count, same latest row);
a new message in the period recomputes it.
"""

from __future__ import annotations

import zlib
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.agents import metrics as m
from app.agents.crew import arun_report
from app.agents.state import TurnState
from app.chat.models import ChatSession
from app.emotions.models import EmotionLog
from app.emotions.service import SENTIMENT_SCORE, daily_trends, figures, logs_between
from app.reports.models import Report

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _bounds(start: date, days: int) -> tuple[datetime, datetime]:
    begin = datetime.combine(start, time.min, tzinfo=UTC)
    return begin, begin + timedelta(days=days)


def _trend(current: float | None, previous: float | None) -> str:
    if current is None or previous is None:
        return "stable"
    if current - previous > 0.1:
        return "improving"
    if previous - current > 0.1:
        return "declining"
    return "stable"


def _pct(current: float, previous: float) -> str:
    return f"{round((current - previous) * 100):+d}%"


async def _fingerprint(db: AsyncSession, session_id: str, start: datetime, end: datetime) -> list[Any]:
    row = (
        await db.execute(
            select(func.count(EmotionLog.id), func.max(EmotionLog.created_at)).where(
                EmotionLog.session_id == session_id,
                EmotionLog.created_at >= start,
                EmotionLog.created_at < end,
            )
        )
    ).one()
    last: Any = row[1]
    if isinstance(last, datetime):
        last = (last if last.tzinfo else last.replace(tzinfo=UTC)).isoformat()
    return [int(row[0] or 0), str(last) if last else None]


def _comparison(fig: dict[str, Any], prev: dict[str, Any], label: str) -> dict[str, Any]:
    cur_mood, prev_mood = fig["mood_score"], prev["mood_score"]
    return {
        label: {
            "emotion_improvement": round(cur_mood - prev_mood, 3)
            if cur_mood is not None and prev_mood is not None
            else None,
            "interaction_increase": fig["total_messages"] - prev["total_messages"],
            "positivity_change": _pct(fig["positive_ratio"], prev["positive_ratio"]),
            "previous_dominant_emotion": prev["dominant_emotion"],
            "previous_total": prev["total_messages"],
        }
    }


def _journey(logs: list[EmotionLog]) -> list[dict[str, Any]]:
    return [
        {
            "time": log.created_at.astimezone(UTC).strftime("%H:%M"),
            "emotion": log.primary_emotion,
            "sentiment": log.sentiment,
            "intensity": round(log.intensity, 2),
            "trigger": log.topics[0] if log.topics else None,
        }
        for log in logs
    ]


async def _summary(
    stats: dict[str, Any], *, session_id: str, locale: str, spec: str | None
) -> dict[str, Any]:
    turn = TurnState(message="", locale=locale, seed=zlib.crc32(session_id.encode()), report_stats=stats)
    summary = await arun_report(turn, spec=spec)
    return summary.model_dump()


async def build_report(
    db: AsyncSession,
    *,
    session: ChatSession,
    kind: str,
    start_day: date,
    include_breakdown: bool = True,
    locale: str = "zh-CN",
    spec: str | None = None,
) -> dict[str, Any]:
    """The ``kind`` ("daily" or "weekly") report of ``session`` from ``start_day``: the cached one while
    the period's emotion logs are unchanged, else computed, summarised by the Report agent and stored."""
    days = 1 if kind == "daily" else 7
    start, end = _bounds(start_day, days)
    fingerprint = await _fingerprint(db, session.id, start, end)
    cached = await _cached_report(db, session_id=session.id, kind=kind, start_day=start_day)
    if cached is not None and cached.payload_dict.get("_fingerprint") == fingerprint:
        hit = cached.payload_dict
        hit.pop("_fingerprint", None)
        hit["cached"] = True
        return hit

    logs = await logs_between(db, session_id=session.id, start=start, end=end)
    prev_start, prev_end = _bounds(start_day - timedelta(days=days), days)
    prev_logs = await logs_between(db, session_id=session.id, start=prev_start, end=prev_end)
    fig, prev = figures(logs), figures(prev_logs)
    trend = _trend(fig["mood_score"], prev["mood_score"])
    stats = _agent_stats(fig, period=f"{start_day.isoformat()}/{kind}", trend=trend)
    summary = await _summary(stats, session_id=session.id, locale=locale, spec=spec)
    report = _report_body(fig, logs, summary, trend=trend, kind=kind, start_day=start_day)
    if kind == "daily":
        report["emotion_journey"] = _journey(logs)
    else:
        report.update(_weekly_sections(fig, logs, include_breakdown=include_breakdown))
    payload: dict[str, Any] = {
        "kind": kind,
        "period_start": start_day.isoformat(),
        "period_end": (start_day + timedelta(days=days - 1)).isoformat(),
        "cached": False,
        "report": report,
        "comparison": _comparison(fig, prev, "vs_yesterday" if kind == "daily" else "vs_last_week"),
    }
    await _store(
        db,
        session=session,
        cached=cached,
        kind=kind,
        start_day=start_day,
        stored=dict(payload, _fingerprint=fingerprint),
    )
    m.FEATURE_USAGE.labels("reports").inc()
    return payload


async def _cached_report(db: AsyncSession, *, session_id: str, kind: str, start_day: date) -> Report | None:
    return (
        await db.execute(
            select(Report).where(
                Report.session_id == session_id, Report.kind == kind, Report.period_start == start_day
            )
        )
    ).scalar_one_or_none()


def _agent_stats(fig: dict[str, Any], *, period: str, trend: str) -> dict[str, Any]:
    """The figures the Report agent writes its summary from (no user text)."""
    return {
        "period": period,
        "total_interactions": fig["total_messages"],
        "dominant_emotion": fig["dominant_emotion"],
        "positive_ratio": fig["positive_ratio"],
        "average_intensity": fig["average_intensity"],
        "stability": fig["stability"],
        "topics": fig["topics"],
        "trend": trend,
    }


def _report_body(
    fig: dict[str, Any],
    logs: list[EmotionLog],
    summary: dict[str, Any],
    *,
    trend: str,
    kind: str,
    start_day: date,
) -> dict[str, Any]:
    """The sections common to daily and weekly reports."""
    if kind == "daily":
        when = {"date": start_day.isoformat()}
    else:
        when = {"period": f"{start_day.isoformat()} to {(start_day + timedelta(days=6)).isoformat()}"}
    return {
        **when,
        "summary": {
            "total_interactions": fig["total_messages"],
            "dominant_emotion": fig["dominant_emotion"],
            "emotion_stability": fig["stability"],
            "positive_ratio": fig["positive_ratio"],
            "positive_moments": sum(1 for log in logs if log.sentiment == "positive"),
            "average_intensity": fig["average_intensity"],
            "mood_score": fig["mood_score"],
            "mood_trend": trend,
        },
        "emotion_distribution": fig["distribution"],
        "key_topics": fig["topics"],
        "achievements": summary["achievements"],
        "gentle_suggestions": summary["gentle_suggestions"],
        "duck_encouragement": summary["duck_encouragement"],
    }


def _weekly_sections(
    fig: dict[str, Any], logs: list[EmotionLog], *, include_breakdown: bool
) -> dict[str, Any]:
    """Most active day, average daily mood, stress triggers and (optionally) the day-by-day breakdown."""
    breakdown = daily_trends(logs)
    per_day = Counter(log.created_at.astimezone(UTC).weekday() for log in logs)
    negative_topics = Counter(t for log in logs if log.sentiment == "negative" for t in (log.topics or []))
    out: dict[str, Any] = {
        "most_active_day": WEEKDAYS[per_day.most_common(1)[0][0]] if per_day else None,
        "average_daily_mood": (
            round(sum(d["average_sentiment"] for d in breakdown) / len(breakdown), 3) if breakdown else None
        ),
        "patterns_insights": {
            "common_stress_triggers": [t for t, _ in negative_topics.most_common(3)],
            "emotion_distribution": fig["distribution"],
        },
    }
    if include_breakdown:
        out["daily_breakdown"] = [
            {"date": d["date"], "mood_score": d["average_sentiment"], "interaction_count": d["message_count"]}
            for d in breakdown
        ]
    return out


async def _store(
    db: AsyncSession,
    *,
    session: ChatSession,
    cached: Report | None,
    kind: str,
    start_day: date,
    stored: dict[str, Any],
) -> None:
    """Cache the report of the period (replacing a stale one) and commit."""
    if cached is None:
        db.add(
            Report(
                user_id=session.user_id,
                session_id=session.id,
                kind=kind,
                period_start=start_day,
                payload=stored,
            )
        )
    else:
        cached.payload = stored
    await db.commit()


def week_start_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


__all__ = ["SENTIMENT_SCORE", "build_report", "week_start_of"]
