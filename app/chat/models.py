"""Chat sessions, messages (text encrypted at rest) and feedback on duck replies."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from app.core.crypto import EncryptedText
from app.core.models import Base
from app.core.types import new_id, utcnow

MESSAGE_ROLES = ("user", "duck", "system")
SAFETY_LEVELS = ("none", "elevated", "crisis")


class ChatSession(Base):
    __tablename__ = "chat_sessions"
    __table_args__ = (Index(None, "user_id", "last_message_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    title: Mapped[str | None] = mapped_column(EncryptedText)  # may echo the user's words
    metadata_: Mapped[dict[str, Any] | None] = mapped_column("metadata")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)
    last_message_at: Mapped[datetime | None]
    message_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0", nullable=False)


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        CheckConstraint("role IN ('user', 'duck', 'system')", name="role"),
        CheckConstraint("safety_level IN ('none', 'elevated', 'crisis')", name="safety_level"),
        Index(None, "session_id", "created_at"),
        Index(None, "user_id", "created_at"),
        # Idempotency-Key of a user message: one message per key and session (NULLs: any number)
        Index(None, "session_id", "client_key", unique=True),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    session_id: Mapped[str] = mapped_column(
        ForeignKey("chat_sessions.id", ondelete="CASCADE"), nullable=False
    )
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    role: Mapped[str] = mapped_column(String(8), nullable=False)
    text: Mapped[str] = mapped_column(EncryptedText, nullable=False)
    emotion: Mapped[dict[str, Any] | None]  # analysis result WITHOUT keywords (user words)
    safety_level: Mapped[str] = mapped_column(
        String(8), default="none", server_default="none", nullable=False
    )
    flagged: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false(), nullable=False)
    panel_url: Mapped[str | None] = mapped_column(String(512))
    video_url: Mapped[str | None] = mapped_column(String(512))
    processing_time_ms: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)
    #: the client's ``Idempotency-Key`` (user messages only; a retried request replays the stored turn)
    client_key: Mapped[str | None] = mapped_column(String(128))
    #: on a duck reply: the user message it answers
    reply_to: Mapped[str | None] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), index=True)


class MessageFeedback(Base):
    __tablename__ = "message_feedback"
    __table_args__ = (
        UniqueConstraint("message_id", "user_id"),
        CheckConstraint("score IS NULL OR (score >= 1 AND score <= 5)", name="score_range"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    message_id: Mapped[str] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), nullable=False)
    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False
    )
    helpful: Mapped[bool | None] = mapped_column(Boolean)
    score: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)
