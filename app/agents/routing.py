"""Which agents run after the Listener: TherapyTips for negative and intense, ContentRecall for
lonely / sad / stressed (and for celebrations); explicit request flags win."""

from __future__ import annotations

from app.agents.schemas import ListenerOutput
from app.agents.state import Route

TIP_EMOTIONS = frozenset({"焦虑", "压力", "愤怒", "害怕"})
CONTENT_EMOTIONS = frozenset({"孤独", "悲伤", "压力", "失落", "疲惫", "焦虑", "内疚", "害怕", "迷茫"})
CONTENT_TOPICS = frozenset({"孤独", "悲伤", "压力"})
CELEBRATE = frozenset({"开心", "兴奋", "自豪", "感激"})


def route(
    analysis: ListenerOutput,
    *,
    include_content: bool | None = None,
    include_therapy: bool | None = None,
    safety_level: str = "none",
) -> Route:
    emotions = set(analysis.primary_emotions) | set(analysis.secondary_emotions)
    r = Route()
    if include_therapy is not None:
        r.tips = include_therapy
        r.reasons.append("tips:requested" if include_therapy else "tips:declined")
    elif analysis.sentiment == "negative" and analysis.intensity >= 0.6:
        r.tips = True
        r.reasons.append("tips:negative_intense")
    elif safety_level == "elevated":
        r.tips = True
        r.reasons.append("tips:elevated")
    elif emotions & TIP_EMOTIONS and analysis.intensity >= 0.5:
        r.tips = True
        r.reasons.append("tips:arousal")
    if include_content is False:
        r.reasons.append("content:declined")
    elif emotions & CONTENT_EMOTIONS or set(analysis.topics) & CONTENT_TOPICS:
        r.content = True
        r.reasons.append("content:comfort")
    elif analysis.sentiment == "positive" and emotions & CELEBRATE:
        r.content = True
        r.reasons.append("content:celebrate")
    elif include_content:
        r.content = True
        r.reasons.append("content:requested")
    return r
