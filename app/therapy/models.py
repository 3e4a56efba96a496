"""Therapy exercise library (reference data) and the user's practice records."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, Float, ForeignKey, Index, Integer, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column

from app.core.crypto import EncryptedText
from app.core.models import Base
from app.core.types import new_id, utcnow


class TherapyTip(Base):
    __tablename__ = "therapy_tips"
    __table_args__ = (CheckConstraint("difficulty IN ('easy', 'medium', 'hard')", name="difficulty"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # slug, e.g. "breathing_478"
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    category: Mapped[str] = mapped_column(String(32), index=True, nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    steps: Mapped[list[str]] = mapped_column(default=list, nullable=False)
    duration_minutes: Mapped[int] = mapped_column(Integer, nullable=False)
    difficulty: Mapped[str] = mapped_column(String(8), default="easy", server_default="easy", nullable=False)
    emotions: Mapped[dict[str, Any]] = mapped_column(default=dict, nullable=False)  # emotion -> effectiveness
    safety_notes: Mapped[list[str]] = mapped_column(default=list, nullable=False)
    locale: Mapped[str] = mapped_column(String(16), default="zh-CN", server_default="zh-CN", nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true(), nullable=False)


class TherapyPractice(Base):
    __tablename__ = "therapy_practices"
    __table_args__ = (
        CheckConstraint("status IN ('completed', 'partial', 'skipped')", name="status"),
        CheckConstraint("rating IS NULL OR (rating >= 1 AND rating <= 5)", name="rating_range"),
        Index(None, "user_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    tip_id: Mapped[str] = mapped_column(ForeignKey("therapy_tips.id", ondelete="RESTRICT"), index=True)
    session_id: Mapped[str | None] = mapped_column(ForeignKey("chat_sessions.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(10), default="completed", nullable=False)
    completed: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    duration_seconds: Mapped[int | None] = mapped_column(Integer)
    rating: Mapped[int | None] = mapped_column(Integer)
    mood_before: Mapped[float | None] = mapped_column(Float)
    mood_after: Mapped[float | None] = mapped_column(Float)
    notes: Mapped[str | None] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)
