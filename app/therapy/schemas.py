"""Therapy API schemas (pd_app api.md §6)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.core.jsontypes import INTEGRAL


class TipEmotion(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)

    sentiment: Literal["positive", "neutral", "negative"] = "negative"
    primary_emotions: list[str] = Field(default_factory=list, max_length=6)
    intensity: float = Field(default=0.5, ge=0, le=1)
    psychological_needs: list[str] = Field(default_factory=list, max_length=6)


class UserPreferences(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)

    experience_level: Literal["beginner", "intermediate", "advanced"] = "beginner"
    time_available: Annotated[int, Field(ge=1, le=240), INTEGRAL] | None = None
    preferred_methods: list[str] = Field(default_factory=list, max_length=10)


class TipsIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    emotion_analysis: TipEmotion
    user_preferences: UserPreferences = Field(default_factory=UserPreferences)
    session_id: str | None = Field(default=None, max_length=64)


class TipsOut(BaseModel):
    primary_tip: dict[str, Any]
    alternative_tips: list[dict[str, Any]]
    follow_up_suggestions: list[str]
    safety_notes: list[str]


class PracticeIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    tip_id: str = Field(min_length=1, max_length=64)
    session_id: str | None = Field(default=None, max_length=64)
    completion_status: Literal["completed", "partial", "skipped"] = "completed"
    duration_actual: float | None = Field(default=None, ge=0, le=600, description="minutes")
    effectiveness_rating: Annotated[int, Field(ge=1, le=5), INTEGRAL] | None = None
    mood_before: float | None = Field(default=None, ge=0, le=1)
    mood_after: float | None = Field(default=None, ge=0, le=1)
    notes: str | None = Field(default=None, max_length=2000)


class PracticeOut(BaseModel):
    id: str
    tip_id: str
    completion_status: str
    mood_change: float | None
    message: str
