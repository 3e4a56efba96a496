"""Emotion analysis of one text (the Listener's offline engine + the safety gate) and per-period figures
computed from emotion_logs."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from statistics import pstdev
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.agents import metrics as m
from app.agents.offline import analyse
from app.agents.schemas import CRISIS_ANALYSIS
from app.emotions.models import EmotionLog
from app.safety import check_message

SENTIMENT_SCORE = {"positive": 1.0, "neutral": 0.5, "negative": 0.0}
IMMEDIATE = {
    "comfort": "难过的时候，先允许自己慢下来，鸭鸭陪着你",
    "companionship": "你不是一个人，鸭鸭在这里",
    "stress_relief": "看起来你需要一些放松的时间",
    "rest": "先好好休息一下吧",
    "validation": "你的感受是合理的",
    "safety": "先让自己待在安全的地方",
    "guidance": "不急，一步一步来",
    "celebration": "太棒了，值得好好庆祝！",
    "encouragement": "继续加油，鸭鸭为你打气",
    "listening": "鸭鸭在认真听",
    "crisis": "你的安全最重要，请马上联系下面的热线",
}


def analyze_text(text: str, *, locale: str | None = None) -> dict[str, Any]:
    safety = check_message(text, locale=locale)
    m.SAFETY_LEVELS.labels(safety.level).inc()
    if safety.level == "crisis":
        m.CRISIS_MESSAGES.inc()
        analysis = dict(CRISIS_ANALYSIS)
    else:
        analysis = analyse(text, safety_level=safety.level).model_dump()
    negative = analysis["sentiment"] == "negative"
    m.FEATURE_USAGE.labels("emotions").inc()
    return {
        "emotion_analysis": analysis,
        "suggestions": {
            "immediate_support": IMMEDIATE.get(str(analysis["support_type"]), IMMEDIATE["listening"]),
            "therapy_recommendation": negative and float(analysis["intensity"]) >= 0.5,
            "content_recommendation": analysis["sentiment"] != "neutral",
        },
        "safety": safety.public(),
    }


def period_bounds(period: str, today: date | None = None) -> tuple[datetime, datetime]:
    today = today or datetime.now(UTC).date()
    days = {"today": 1, "week": 7, "month": 30}[period]
    start = datetime.combine(today - timedelta(days=days - 1), time.min, tzinfo=UTC)
    return start, datetime.combine(today + timedelta(days=1), time.min, tzinfo=UTC)


async def logs_between(
    db: AsyncSession, *, session_id: str, start: datetime, end: datetime
) -> list[EmotionLog]:
    rows = await db.execute(
        select(EmotionLog)
        .where(
            EmotionLog.session_id == session_id, EmotionLog.created_at >= start, EmotionLog.created_at < end
        )
        .order_by(EmotionLog.created_at)
    )
    return list(rows.scalars())


def figures(logs: list[EmotionLog]) -> dict[str, Any]:
    """Dominant emotion, distribution, average intensity, positive ratio, stability, topics."""
    total = len(logs)
    if total == 0:
        return {
            "total_messages": 0,
            "dominant_emotion": None,
            "average_intensity": 0.0,
            "positive_ratio": 0.0,
            "mood_score": None,
            "stability": None,
            "distribution": {},
            "topics": {},
        }
    emotions = Counter(log.primary_emotion or "平静" for log in logs)
    topics = Counter(t for log in logs for t in (log.topics or []))
    scores = [SENTIMENT_SCORE.get(log.sentiment, 0.5) for log in logs]
    n_topics = sum(topics.values()) or 1
    return {
        "total_messages": total,
        "dominant_emotion": emotions.most_common(1)[0][0],
        "average_intensity": round(sum(log.intensity for log in logs) / total, 3),
        "positive_ratio": round(sum(1 for log in logs if log.sentiment == "positive") / total, 3),
        "mood_score": round(sum(scores) / total, 3),
        # 1 = perfectly steady mood, 0 = swinging between the extremes
        "stability": round(max(0.0, 1.0 - 2 * pstdev(scores)), 3) if total > 1 else 1.0,
        "distribution": {k: round(v / total, 3) for k, v in emotions.most_common()},
        "topics": {k: round(v / n_topics, 3) for k, v in topics.most_common(6)},
    }


def daily_trends(logs: list[EmotionLog]) -> list[dict[str, Any]]:
    by_day: dict[str, list[EmotionLog]] = {}
    for log in logs:
        by_day.setdefault(log.created_at.astimezone(UTC).date().isoformat(), []).append(log)
    return [
        {
            "date": day,
            "average_sentiment": round(
                sum(SENTIMENT_SCORE.get(x.sentiment, 0.5) for x in items) / len(items), 3
            ),
            "message_count": len(items),
        }
        for day, items in sorted(by_day.items())
    ]


def insights(fig: dict[str, Any]) -> list[str]:
    if not fig["total_messages"]:
        return ["这段时间还没有和鸭鸭聊天的记录"]
    out = []
    ratio = fig["positive_ratio"]
    out.append("这段时间的情绪整体比较积极" if ratio >= 0.5 else "这段时间经历了一些不容易的情绪")
    out.append(f"最常出现的情绪是「{fig['dominant_emotion']}」")
    if fig["topics"]:
        out.append(f"聊得最多的话题是「{next(iter(fig['topics']))}」")
    return out


async def period_analysis(
    db: AsyncSession, *, session_id: str, period: str, include_trends: bool
) -> dict[str, Any]:
    start, end = period_bounds(period)
    logs = await logs_between(db, session_id=session_id, start=start, end=end)
    fig = figures(logs)
    return {
        "period": period,
        "summary": {
            "dominant_emotion": fig["dominant_emotion"],
            "average_intensity": fig["average_intensity"],
            "positive_ratio": fig["positive_ratio"],
            "total_messages": fig["total_messages"],
            "stability": fig["stability"],
        },
        "emotion_distribution": fig["distribution"],
        "daily_trends": daily_trends(logs) if include_trends else None,
        "insights": insights(fig),
    }
