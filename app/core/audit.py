"""The audit trail: the ``audit_events`` model and ``record_audit`` (logins, MFA changes, exports,
deletions, admin reads). Never content; user ids are plain columns (not foreign keys) so that the row
recording an erasure survives the erasure.

It lives in core because every domain writes it (auth, chat, privacy ...) and core depends on none of
them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import Request
from sqlalchemy import Index, String
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import Base
from app.core.security import truncate_ip
from app.core.types import BigIntPK, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (
        Index(None, "subject_user_id", "created_at"),
        Index(None, "action", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    actor_user_id: Mapped[str | None] = mapped_column(String(36))
    subject_user_id: Mapped[str | None] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(64), nullable=False)
    details: Mapped[dict[str, Any] | None]
    ip_prefix: Mapped[str | None] = mapped_column(String(64))
    request_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, nullable=False)


def client_ip(request: Request | None) -> str | None:
    if request is None or request.client is None:
        return None
    return request.client.host


def record_audit(
    session: AsyncSession,
    *,
    action: str,
    actor_user_id: str | None = None,
    subject_user_id: str | None = None,
    details: dict[str, Any] | None = None,
    request: Request | None = None,
) -> AuditEvent:
    """Add an audit row to ``session`` (the caller commits with its own change, atomically)."""
    event = AuditEvent(
        action=action,
        actor_user_id=actor_user_id,
        subject_user_id=subject_user_id,
        details=details,
        ip_prefix=truncate_ip(client_ip(request)),
        request_id=getattr(request.state, "request_id", None) if request is not None else None,
    )
    session.add(event)
    return event
