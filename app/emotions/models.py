"""Emotion logs: the Listener's structured analysis per message. No raw text; keywords only encrypted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.crypto import EncryptedJSON
from app.core.models import Base
from app.core.types import new_id, utcnow


class EmotionLog(Base):
    __tablename__ = "emotion_logs"
    __table_args__ = (
        CheckConstraint("sentiment IN ('positive', 'neutral', 'negative')", name="sentiment"),
        CheckConstraint("urgency >= 1 AND urgency <= 5", name="urgency_range"),
        Index(None, "user_id", "created_at"),
        Index(None, "session_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    session_id: Mapped[str | None] = mapped_column(ForeignKey("chat_sessions.id", ondelete="CASCADE"))
    message_id: Mapped[str | None] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), index=True)
    sentiment: Mapped[str] = mapped_column(String(8), nullable=False)
    primary_emotion: Mapped[str | None] = mapped_column(String(32))
    secondary_emotions: Mapped[list[str] | None]
    intensity: Mapped[float] = mapped_column(Float, default=0.0, nullable=False)
    urgency: Mapped[int] = mapped_column(Integer, default=1, server_default="1", nullable=False)
    topics: Mapped[list[str] | None]
    psychological_needs: Mapped[list[str] | None]
    support_type: Mapped[str | None] = mapped_column(String(32))
    keywords: Mapped[Any | None] = mapped_column(EncryptedJSON)  # the user's own words: encrypted
    confidence: Mapped[float | None] = mapped_column(Float)
    details: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)
