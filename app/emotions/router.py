"""Emotion endpoints: analyse one text; analysis of a session over a period with trends."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter

from app.auth.deps import AppSettings, CurrentUser
from app.chat.deps import OwnedChatSession
from app.core.db import ReadSession
from app.core.envelope import ERROR_RESPONSES, Envelope
from app.core.errors import AppError, ErrorCode
from app.core.ratelimit import RateLimit
from app.emotions import service
from app.emotions.schemas import AnalyzeIn, AnalyzeOut, PeriodAnalysisOut

router = APIRouter(prefix="/emotions", tags=["emotions"], responses=ERROR_RESPONSES)


@router.post("/analyze", response_model=Envelope[AnalyzeOut], dependencies=[RateLimit("emotions")])
async def analyze(user: CurrentUser, settings: AppSettings, body: AnalyzeIn) -> Envelope[AnalyzeOut]:
    """Listener analysis of one text (no session context), with the safety gate's verdict."""
    if len(body.text) > settings.max_message_chars:
        raise AppError(ErrorCode.VALIDATION_ERROR, details={"field": "text", "reason": "too_long"})
    data = service.analyze_text(body.text, locale=body.context.locale)
    return Envelope[AnalyzeOut](data=AnalyzeOut.model_validate(data))


@router.get(
    "/analysis/{session_id}", response_model=Envelope[PeriodAnalysisOut], dependencies=[RateLimit("emotions")]
)
async def analysis(
    db: ReadSession,
    session: OwnedChatSession,
    period: Literal["today", "week", "month"] = "today",
    include_trends: bool = False,
) -> Envelope[PeriodAnalysisOut]:
    data = await service.period_analysis(
        db, session_id=session.id, period=period, include_trends=include_trends
    )
    return Envelope[PeriodAnalysisOut](data=PeriodAnalysisOut.model_validate(data))
