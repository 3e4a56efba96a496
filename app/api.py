"""Router registry: every domain router is included here (one line each).

``api_router`` is mounted under ``settings.api_prefix`` (/api/v1); ``root_routers`` at the root
(e.g. WebSockets at /ws/...).
"""

from __future__ import annotations

from fastapi import APIRouter

from app.auth.router import me_router
from app.auth.router import router as auth_router
from app.chat.router import router as chat_router
from app.chat.ws import router as ws_router
from app.content.router import media_router
from app.content.router import router as content_router
from app.emotions.router import router as emotions_router
from app.privacy.router import chat_erasure_router
from app.privacy.router import router as privacy_router
from app.reports.router import router as reports_router
from app.therapy.router import router as therapy_router

api_router = APIRouter()
root_routers: list[APIRouter] = []

# --- platform (app platform engineer) -------------------------------------------------------
api_router.include_router(auth_router)
api_router.include_router(me_router)
api_router.include_router(privacy_router)

# --- the duck (duck engineer): chat, emotions, content, therapy, reports, feedback -----------
api_router.include_router(chat_router)
api_router.include_router(chat_erasure_router)  # DELETE /chat/sessions/{id} (privacy erases content)
api_router.include_router(emotions_router)
api_router.include_router(content_router)
api_router.include_router(therapy_router)
api_router.include_router(reports_router)
root_routers.append(ws_router)
root_routers.append(media_router)
