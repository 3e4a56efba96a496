"""Emotion API schemas (pd_app api.md §4; Listener schema of agents.md)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.core.openapi import settings_bound


class AnalyzeContext(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)

    analyze_depth: Literal["basic", "standard", "detailed"] = "standard"
    locale: str | None = Field(default=None, max_length=16)


class AnalyzeIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    text: str = Field(
        min_length=1, max_length=20000, json_schema_extra=settings_bound(maxLength="max_message_chars")
    )
    context: AnalyzeContext = Field(default_factory=AnalyzeContext)


class AnalyzeOut(BaseModel):
    emotion_analysis: dict[str, Any]
    suggestions: dict[str, Any]
    safety: dict[str, Any]


class PeriodAnalysisOut(BaseModel):
    period: str
    summary: dict[str, Any]
    emotion_distribution: dict[str, float]
    daily_trends: list[dict[str, Any]] | None = None
    insights: list[str]
