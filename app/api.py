"""Router registry: every domain router is included here (one line each).

``api_router`` is mounted under ``settings.api_prefix`` (/api/v1); ``root_routers`` at the root
(e.g. WebSockets at /ws/...).
"""

from __future__ import annotations

from fastapi import APIRouter

from app.auth.router import me_router
from app.auth.router import router as auth_router
from app.privacy.router import router as privacy_router

api_router = APIRouter()
root_routers: list[APIRouter] = []

# --- platform (app platform engineer) -------------------------------------------------------
api_router.include_router(auth_router)
api_router.include_router(me_router)
api_router.include_router(privacy_router)

# --- the duck (duck engineer): chat, emotions, content, therapy, reports, feedback -----------
# api_router.include_router(chat_router)
# root_routers.append(ws_router)
