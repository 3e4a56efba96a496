"""/api/v1/me/export and DELETE /api/v1/me (filled in below)."""

from __future__ import annotations

from fastapi import APIRouter

from app.core.envelope import ERROR_RESPONSES

router = APIRouter(tags=["privacy"], responses=ERROR_RESPONSES)
