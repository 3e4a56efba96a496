"""Therapy endpoints: exercise suggestions, practice records, the library."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from app.agents.libraries import tips
from app.auth.deps import CurrentUser
from app.core.db import WriteSession
from app.core.envelope import ERROR_RESPONSES, Envelope
from app.core.ratelimit import RateLimit
from app.therapy import service
from app.therapy.schemas import PracticeIn, PracticeOut, TipsIn, TipsOut

router = APIRouter(prefix="/therapy", tags=["therapy"], responses=ERROR_RESPONSES)


@router.post("/tips", response_model=Envelope[TipsOut], dependencies=[RateLimit("therapy")])
async def suggest_tips(user: CurrentUser, body: TipsIn) -> Envelope[TipsOut]:
    return Envelope[TipsOut](data=TipsOut.model_validate(service.suggest(body)))


@router.get("/library", response_model=Envelope[list[dict[str, Any]]], dependencies=[RateLimit("therapy")])
async def library(user: CurrentUser) -> Envelope[list[dict[str, Any]]]:
    return Envelope[list[dict[str, Any]]](data=[t.as_dict() for t in tips().values()])


@router.post(
    "/practice", response_model=Envelope[PracticeOut], status_code=201, dependencies=[RateLimit("therapy")]
)
async def practice(db: WriteSession, user: CurrentUser, body: PracticeIn) -> Envelope[PracticeOut]:
    row = await service.record_practice(db=db, user=user, body=body)
    change = (
        round(row.mood_after - row.mood_before, 3)
        if row.mood_after is not None and row.mood_before is not None
        else None
    )
    message = "练习记录好啦，你对自己真好～" if row.completed else "记下来啦，愿意尝试就已经很棒了～"
    return Envelope[PracticeOut](
        data=PracticeOut(
            id=row.id, tip_id=row.tip_id, completion_status=row.status, mood_change=change, message=message
        )
    )
