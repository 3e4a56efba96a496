"""Content API schemas (pd_app api.md §5)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.core.jsontypes import INTEGRAL


class EmotionHint(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)

    sentiment: Literal["positive", "neutral", "negative"] = "neutral"
    primary_emotions: list[str] = Field(default_factory=list, max_length=6)
    intensity: float = Field(default=0.5, ge=0, le=1)


class Preferences(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)

    content_types: list[Literal["panel", "video"]] = Field(default_factory=lambda: ["panel", "video"])  # type: ignore[arg-type]
    max_items: Annotated[int, Field(ge=1, le=20), INTEGRAL] = 5
    duration_preference: Literal["short", "medium", "long"] | None = None


class RecommendIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    emotion_analysis: EmotionHint
    preferences: Preferences = Field(default_factory=Preferences)
    session_id: str | None = Field(default=None, max_length=64)


class RecommendOut(BaseModel):
    recommendations: dict[str, list[dict[str, Any]]]
    match_explanation: str
    total_matches: int
    recommendation_id: str


class ContentFeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    recommendation_id: str | None = Field(default=None, max_length=64)
    content_id: str = Field(min_length=1, max_length=64)
    feedback_type: Literal["helpful", "not_helpful", "inappropriate"]
    rating: Annotated[int, Field(ge=1, le=5), INTEGRAL] | None = None
    comment: str | None = Field(default=None, max_length=1000)
    session_id: str | None = Field(default=None, max_length=64)


class ContentFeedbackOut(BaseModel):
    id: str
    content_id: str
    feedback_type: str
    rating: int | None
    comment_stored: bool = False
