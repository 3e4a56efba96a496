"""GET /api/v1/me/export, DELETE /api/v1/me, and the audited admin read of a user's data."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from app.auth.deps import AdminUser, AppSettings, CurrentUser
from app.core.db import WriteSession
from app.core.envelope import ERROR_RESPONSES, Envelope
from app.core.ratelimit import RateLimit
from app.privacy import service
from app.privacy.schemas import DeleteAccountRequest

router = APIRouter(tags=["privacy"], responses=ERROR_RESPONSES)


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
