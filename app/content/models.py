"""Content library index (comic panels, short videos) and feedback on recommendations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, true
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import Base
from app.core.types import new_id, utcnow


class ContentAsset(Base):
    __tablename__ = "content_assets"
    __table_args__ = (CheckConstraint("kind IN ('panel', 'video')", name="kind"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # slug, e.g. "panel_comfort_01"
    kind: Mapped[str] = mapped_column(String(8), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str | None] = mapped_column(String(1000))
    url: Mapped[str] = mapped_column(String(512), nullable=False)
    duration_seconds: Mapped[int | None] = mapped_column(Integer)
    tags: Mapped[list[str]] = mapped_column(default=list, nullable=False)
    emotion_scores: Mapped[dict[str, Any]] = mapped_column(default=dict, nullable=False)
    locale: Mapped[str] = mapped_column(String(16), default="zh-CN", server_default="zh-CN", nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true(), nullable=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)
    updated_at: Mapped[datetime | None] = mapped_column(onupdate=utcnow)


class ContentFeedback(Base):
    __tablename__ = "content_feedback"
    __table_args__ = (
        CheckConstraint("rating IS NULL OR (rating >= 1 AND rating <= 5)", name="rating_range"),
        CheckConstraint("feedback_type IN ('helpful', 'not_helpful', 'inappropriate')", name="feedback_type"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    asset_id: Mapped[str] = mapped_column(ForeignKey("content_assets.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False
    )
    session_id: Mapped[str | None] = mapped_column(ForeignKey("chat_sessions.id", ondelete="SET NULL"))
    recommendation_id: Mapped[str | None] = mapped_column(String(64))
    feedback_type: Mapped[str] = mapped_column(String(16), nullable=False)
    helpful: Mapped[bool | None] = mapped_column(Boolean)
    rating: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)
