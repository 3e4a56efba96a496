"""Report endpoints: daily and weekly emotion reports per session (cached per period)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from fastapi import APIRouter

from app.auth.deps import AppSettings
from app.chat.deps import OwnedChatSession
from app.core.db import WriteSession
from app.core.envelope import ERROR_RESPONSES, Envelope
from app.core.ratelimit import RateLimit
from app.reports import service
from app.reports.schemas import ReportOut

router = APIRouter(prefix="/reports", tags=["reports"], responses=ERROR_RESPONSES)


def _locale(meta: dict[str, str] | None, language: str | None) -> str:
    return language or (meta or {}).get("locale") or "zh-CN"


@router.get("/daily/{session_id}", response_model=Envelope[ReportOut], dependencies=[RateLimit("reports")])
async def daily(
    db: WriteSession,
    settings: AppSettings,
    session: OwnedChatSession,
    date: date | None = None,
    language: str | None = None,
) -> Envelope[ReportOut]:
    day = date or datetime.now(UTC).date()
    payload = await service.build_report(
        db,
        session=session,
        kind="daily",
        start_day=day,
        locale=_locale(session.metadata_, language),
        spec=settings.duck_llm,
    )
    return Envelope[ReportOut](data=ReportOut.model_validate(payload))


@router.get("/weekly/{session_id}", response_model=Envelope[ReportOut], dependencies=[RateLimit("reports")])
async def weekly(
    db: WriteSession,
    settings: AppSettings,
    session: OwnedChatSession,
    week_start: date | None = None,
    include_daily_breakdown: bool = True,
) -> Envelope[ReportOut]:
    start = week_start or service.week_start_of(datetime.now(UTC).date())
    payload = await service.build_report(
        db,
        session=session,
        kind="weekly",
        start_day=start,
        include_breakdown=include_daily_breakdown,
        locale=_locale(session.metadata_, None),
        spec=settings.duck_llm,
    )
    return Envelope[ReportOut](data=ReportOut.model_validate(payload))
