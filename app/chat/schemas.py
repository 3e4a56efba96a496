"""Chat API schemas (pd_app api.md §3, §8)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

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


#: the spaces a title is trimmed of, as a regex class body: what JSON Schema's (ECMA-262's) ``\s`` and
#: Python's ``str.strip`` agree on once control characters are refused (spelled out: every engine agrees)
TITLE_SPACE = r"\u0020\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_TITLE_SPACE_CHARS = "".join(
    chr(c)
    for c in (0x20, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF)
)
_TITLE_CONTROL = r"\x00-\x1f\x7f-\x9f"
TITLE_MAX = 80
_EDGE = f"[^{_TITLE_CONTROL}{TITLE_SPACE}]"
#: a title: 1-80 characters once trimmed of leading/trailing spaces, no control characters anywhere
TITLE_PATTERN = (
    f"^[{TITLE_SPACE}]*(?:{_EDGE}|{_EDGE}[^{_TITLE_CONTROL}]{{0,{TITLE_MAX - 2}}}{_EDGE})[{TITLE_SPACE}]*$"
)
#: a ``GET /chat/sessions`` cursor (opaque to clients: pass back ``next_cursor`` as it came)
CURSOR_PATTERN = r"^[0-9]{1,17}\.[A-Za-z0-9-]{1,64}$"


def strip_title(value: str) -> str:
    return value.strip(_TITLE_SPACE_CHARS)


class SessionRename(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    title: Annotated[
        str,
        Field(
            max_length=200,
            pattern=TITLE_PATTERN,
            description=(
                f"1-{TITLE_MAX} characters after trimming leading and trailing spaces (the stored title is "
                "trimmed); no control characters (line breaks, tabs ...). Stored encrypted."
            ),
            examples=["周一的压力"],
        ),
        AfterValidator(strip_title),
    ]


class SessionItem(BaseModel):
    """One of my conversations, as the conversation list shows it."""

    session_id: str
    title: str | None = Field(description="the title I gave it, or null (never derived from messages)")
    message_count: int = Field(description="messages stored in it (mine and the duck's)")
    last_activity_at: datetime = Field(description="the latest message, or the creation time if none")
    created_at: datetime
    locale: str | None = Field(description="the locale given when it was created, if any")


class SessionPage(BaseModel):
    items: list[SessionItem]
    next_cursor: str | None = Field(
        description="pass as `cursor` for the next (older) page; null on the last page"
    )


class SessionDeleted(BaseModel):
    session_id: str
    deleted_messages: int = Field(description="messages erased (mine and the duck's)")
    counts: dict[str, int] = Field(
        description=(
            "rows erased per kind: messages, emotion_logs, reports, message_feedback, content_feedback, "
            "chat_sessions; therapy_practices_detached (kept, no longer linked)"
        )
    )


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
    messages: list[MessageOut] = Field(description="oldest first, in every mode")
    total_count: int = Field(description="messages in the session (after `since`)")
    has_more: bool = Field(
        description=(
            "offset mode: newer messages follow this page; "
            "`before` / `latest` mode: older messages precede it"
        )
    )
    pagination: dict[str, int]
    next_before: str | None = Field(
        default=None,
        description=(
            "the id to pass as `before` for the page of older messages (the oldest message of this page); "
            "null when no older message exists"
        ),
    )


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
