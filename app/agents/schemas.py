"""Structured outputs of the agents, validated with Pydantic (Listener schema: pd_app agents.md)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Sentiment = Literal["positive", "neutral", "negative"]


class ListenerOutput(BaseModel):
    """The Listener agent's analysis of one message."""

    model_config = ConfigDict(extra="ignore")

    sentiment: Sentiment
    intensity: float = Field(ge=0.0, le=1.0)
    primary_emotions: list[str] = Field(min_length=1, max_length=4)
    secondary_emotions: list[str] = Field(default_factory=list, max_length=6)
    keywords: list[str] = Field(default_factory=list, max_length=10)
    topics: list[str] = Field(default_factory=list, max_length=6)
    language_style: str = "plain"
    psychological_needs: list[str] = Field(default_factory=list, max_length=6)
    urgency_level: int = Field(ge=1, le=5)
    support_type: str = "listening"
    confidence_score: float = Field(ge=0.0, le=1.0)
    processing_notes: str = ""

    @field_validator("primary_emotions", "secondary_emotions", "keywords", "topics", "psychological_needs")
    @classmethod
    def _short_items(cls, value: list[str]) -> list[str]:
        return [v.strip()[:32] for v in value if v and v.strip()]


#: the analysis reported for a message the safety gate calls a crisis (fixed: the crew does not run)
CRISIS_ANALYSIS: dict[str, Any] = {
    "sentiment": "negative",
    "intensity": 1.0,
    "primary_emotions": ["痛苦"],
    "secondary_emotions": [],
    "keywords": [],
    "topics": [],
    "language_style": "plain",
    "psychological_needs": ["安全", "专业支持"],
    "urgency_level": 5,
    "support_type": "crisis",
    "confidence_score": 1.0,
    "processing_notes": "safety gate: crisis",
}


class TipChoice(BaseModel):
    """The TherapyTips agent's choice from the exercise library."""

    model_config = ConfigDict(extra="ignore")

    tip_id: str = Field(min_length=1, max_length=64)
    alternative_ids: list[str] = Field(default_factory=list, max_length=3)
    reason: str = Field(default="", max_length=300)


class ContentChoice(BaseModel):
    """The ContentRecall agent's choice from the content index."""

    model_config = ConfigDict(extra="ignore")

    panel_id: str | None = None
    video_id: str | None = None
    reason: str = Field(default="", max_length=300)


class DuckReply(BaseModel):
    """DuckStyle's final reply."""

    model_config = ConfigDict(extra="ignore")

    text: str = Field(min_length=2, max_length=1200)


class ReportSummary(BaseModel):
    """The Report agent's warm summary of a period's figures."""

    model_config = ConfigDict(extra="ignore")

    duck_encouragement: str = Field(min_length=2, max_length=600)
    achievements: list[str] = Field(default_factory=list, max_length=5)
    gentle_suggestions: list[str] = Field(default_factory=list, max_length=5)
