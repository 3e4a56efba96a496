"""Chat API schemas (pd_app api.md §3, §8)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.core.jsontypes import INTEGRAL
from app.core.openapi import settings_bound

#: an ``Idempotency-Key`` header: 8-128 characters of ``[A-Za-z0-9_-]`` (a UUID in hex, a ULID, base64url ...)
IDEMPOTENCY_KEY_PATTERN = r"^[A-Za-z0-9_-]+$"
IDEMPOTENCY_KEY_MIN = 8
IDEMPOTENCY_KEY_MAX = 128


class SessionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    metadata: dict[str, str] | None = Field(default=None, max_length=10)
    locale: str | None = Field(default=None, max_length=16)


class SessionOut(BaseModel):
    session_id: str
    created_at: datetime
    status: Literal["active"] = "active"


class MessageContext(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)

    include_content: bool | None = None
    include_therapy: bool | None = None
    response_style: Literal["standard", "detailed", "brief"] = "standard"
    locale: str | None = Field(default=None, max_length=16)


class MessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    text: str = Field(
        min_length=1, max_length=20000, json_schema_extra=settings_bound(maxLength="max_message_chars")
    )
    session_id: str = Field(min_length=1, max_length=64)
    context: MessageContext = Field(default_factory=MessageContext)


class MessageOut(BaseModel):
    id: str
    role: str
    text: str
    session_id: str
    created_at: datetime
    panel_url: str | None = None
    video_url: str | None = None
    emotion_tags: list[str] | None = None
    emotion_intensity: float | None = None
    safety_level: str | None = None


class Hotline(BaseModel):
    name: str
    number: str
    hours: str
    kind: str


class SafetyOut(BaseModel):
    level: Literal["none", "elevated", "crisis"]
    categories: list[str] = Field(default_factory=list)
    hotlines: list[Hotline] = Field(default_factory=list)


class ChatReply(BaseModel):
    user_message: MessageOut
    duck_response: MessageOut
    emotion_analysis: dict[str, Any]
    safety: SafetyOut
    therapy_tip: dict[str, Any] | None = None
    content: dict[str, Any] | None = None
    processing_time_ms: int
    #: answered from the stored turn (Idempotency-Key): the router adds ``Idempotent-Replayed: true``
    replayed: bool = Field(default=False, exclude=True)


class HistoryOut(BaseModel):
    messages: list[MessageOut]
    total_count: int
    has_more: bool
    pagination: dict[str, int]


class FeedbackIn(BaseModel):
    """At least one of ``helpful`` and ``score`` (the document says so with ``anyOf``; the service
    refuses neither with 422 ``helpful or score required``)."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "anyOf": [
                {"required": ["helpful"], "properties": {"helpful": {"type": "boolean"}}},
                {"required": ["score"], "properties": {"score": {"type": "integer"}}},
            ]
        },
    )

    helpful: bool | None = None
    score: Annotated[int, Field(ge=1, le=5), INTEGRAL] | None = None


class FeedbackOut(BaseModel):
    message_id: str
    helpful: bool | None
    score: int | None
