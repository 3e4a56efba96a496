"""Write audit events (logins, MFA changes, exports, deletions, admin reads). Never content."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.security import truncate_ip
from app.privacy.models import AuditEvent


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
