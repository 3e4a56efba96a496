"""GET /api/v1/me/export, DELETE /api/v1/me, DELETE /api/v1/chat/sessions/{id}, and the audited admin read
of a user's data.

Erasing one conversation lives here, not in app/chat: privacy knows every table that holds a
conversation's content (chat, emotions, reports, content) and the account erasure shares the code; chat
depends on none of those domains.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from app.auth.deps import AdminUser, AppSettings, CurrentUser
from app.chat.deps import OwnedChatSession
from app.chat.schemas import SessionDeleted
from app.core.db import WriteSession
from app.core.envelope import ERROR_RESPONSES, Envelope
from app.core.ratelimit import RateLimit
from app.privacy import service
from app.privacy.schemas import DeleteAccountRequest

router = APIRouter(tags=["privacy"], responses=ERROR_RESPONSES)
#: the chat endpoints that erase content (mounted beside app.chat.router under /chat)
chat_erasure_router = APIRouter(prefix="/chat", tags=["chat"], responses=ERROR_RESPONSES)


@router.get("/me/export", response_model=Envelope[dict[str, Any]], dependencies=[RateLimit("privacy")])
async def export_me(request: Request, user: CurrentUser, db: WriteSession) -> Envelope[dict[str, Any]]:
    """Everything stored about the signed-in user (decrypted), as one JSON document."""
    data = await service.export_own_data(db, user=user, request=request)
    return Envelope[dict[str, Any]](data=data)


@router.delete("/me", response_model=Envelope[dict[str, Any]], dependencies=[RateLimit("privacy")])
async def delete_me(
    request: Request,
    user: CurrentUser,
    db: WriteSession,
    settings: AppSettings,
    body: DeleteAccountRequest | None = None,
) -> Envelope[dict[str, Any]]:
    """Erase the account and all of its content. Full accounts confirm with their password (and a
    second factor when MFA is on)."""
    body = body or DeleteAccountRequest()
    await service.confirm_deletion(
        db, settings, user=user, password=body.password, otp_code=body.otp_code, request=request
    )
    counts = await service.erase_user(db, settings, user=user, actor_user_id=user.id, request=request)
    return Envelope[dict[str, Any]](data={"deleted": True, "counts": counts}, message="你的账户和数据已删除")


@router.get(
    "/admin/users/{user_id}/export",
    response_model=Envelope[dict[str, Any]],
    tags=["admin"],
)
async def admin_export_user(
    user_id: str, request: Request, admin: AdminUser, db: WriteSession
) -> Envelope[dict[str, Any]]:
    """An administrator reads a user's data (e.g. a data-subject request by post). Always audited."""
    data = await service.admin_export(db, admin=admin, user_id=user_id, request=request)
    return Envelope[dict[str, Any]](data=data)


@chat_erasure_router.delete(
    "/sessions/{session_id}", response_model=Envelope[SessionDeleted], dependencies=[RateLimit("chat")]
)
async def delete_chat_session(
    request: Request, user: CurrentUser, db: WriteSession, session: OwnedChatSession
) -> Envelope[SessionDeleted]:
    """Delete one of my conversations and everything it holds: its messages, emotion logs, cached
    reports, feedback on its replies and recommended content (not the account, not other conversations;
    practice records made during it are kept, detached). Audited (`chat.session_deleted`, counts only).
    Someone else's or an unknown session: 404 `SESSION_NOT_FOUND`."""
    counts = await service.erase_conversation(db=db, session=session, actor_user_id=user.id, request=request)
    data = SessionDeleted(session_id=session.id, deleted_messages=counts["messages"], counts=counts)
    return Envelope[SessionDeleted](data=data, message="这段对话已删除")
