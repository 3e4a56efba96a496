"""Content endpoints, and (development) the library files under /panels and /videos."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse

from app.agents.libraries import CONTENT_DIR
from app.auth.deps import CurrentUser
from app.content import service
from app.content.schemas import ContentFeedbackIn, ContentFeedbackOut, RecommendIn, RecommendOut
from app.core.db import WriteSession
from app.core.envelope import ERROR_RESPONSES, Envelope
from app.core.errors import AppError, ErrorCode
from app.core.ratelimit import RateLimit

router = APIRouter(prefix="/content", tags=["content"], responses=ERROR_RESPONSES)
media_router = APIRouter(tags=["content"])


@router.post("/recommend", response_model=Envelope[RecommendOut], dependencies=[RateLimit("content")])
async def recommend(user: CurrentUser, body: RecommendIn) -> Envelope[RecommendOut]:
    return Envelope[RecommendOut](data=RecommendOut.model_validate(service.recommend(body)))


@router.post("/feedback", response_model=Envelope[ContentFeedbackOut], dependencies=[RateLimit("content")])
async def feedback(
    db: WriteSession, user: CurrentUser, body: ContentFeedbackIn
) -> Envelope[ContentFeedbackOut]:
    """Feedback on a recommended item. The free-text comment is not stored (no user text at rest here)."""
    row = await service.feedback(db=db, user=user, body=body)
    return Envelope[ContentFeedbackOut](
        data=ContentFeedbackOut(
            id=row.id, content_id=row.asset_id, feedback_type=row.feedback_type, rating=row.rating
        )
    )


def _serve(request: Request, kind: str, name: str) -> FileResponse:
    if not request.app.state.settings.content_served_by_app:
        raise AppError(ErrorCode.NOT_FOUND, status=404)  # production: nginx serves these paths
    base = (CONTENT_DIR / kind).resolve()
    path = (base / name).resolve()
    if path.parent != base or path.suffix != ".svg" or not path.is_file():
        raise AppError(ErrorCode.CONTENT_NOT_AVAILABLE, status=404)
    return FileResponse(
        Path(path), media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"}
    )


@media_router.get("/panels/{name}", include_in_schema=False)
async def panel_file(request: Request, name: str) -> FileResponse:
    return _serve(request, "panels", name)


@media_router.get("/videos/{name}", include_in_schema=False)
async def video_file(request: Request, name: str) -> FileResponse:
    return _serve(request, "videos", name)
