"""Chat endpoints: sessions, messages (JSON and SSE), history, feedback on duck replies."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response
from sse_starlette.sse import EventSourceResponse

from app.auth.deps import AppSettings, CurrentUser
from app.chat import service
from app.chat.schemas import (
    IDEMPOTENCY_KEY_MAX,
    IDEMPOTENCY_KEY_MIN,
    IDEMPOTENCY_KEY_PATTERN,
    ChatReply,
    FeedbackIn,
    FeedbackOut,
    HistoryOut,
    MessageIn,
    SessionCreate,
    SessionOut,
)
from app.core.db import WriteSession
from app.core.envelope import ERROR_RESPONSES, Envelope
from app.core.ratelimit import RateLimit

router = APIRouter(prefix="/chat", tags=["chat"], responses=ERROR_RESPONSES)

#: optional ``Idempotency-Key`` request header of the chat POSTs (a bad one: 422 VALIDATION_ERROR)
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=IDEMPOTENCY_KEY_MIN,
        max_length=IDEMPOTENCY_KEY_MAX,
        pattern=IDEMPOTENCY_KEY_PATTERN,
        description=(
            "A fresh random key per message (8-128 of A-Z a-z 0-9 _ -). Resending the same request with the "
            "same key (after a timeout or a 502/503/504) returns the stored reply instead of a second turn "
            "(`Idempotent-Replayed: true`); keys are scoped per chat session."
        ),
    ),
]
REPLAYED_HEADER = "Idempotent-Replayed"


@router.post(
    "/sessions", response_model=Envelope[SessionOut], status_code=201, dependencies=[RateLimit("chat")]
)
async def create_session(
    db: WriteSession, user: CurrentUser, body: SessionCreate | None = None
) -> Envelope[SessionOut]:
    body = body or SessionCreate()
    row = await service.create_session(db=db, user=user, metadata=body.metadata, locale=body.locale)
    return Envelope[SessionOut](data=SessionOut(session_id=row.id, created_at=row.created_at))


@router.post("/messages", response_model=Envelope[ChatReply], dependencies=[RateLimit("chat")])
async def send_message(
    request: Request,
    response: Response,
    db: WriteSession,
    settings: AppSettings,
    user: CurrentUser,
    body: MessageIn,
    idempotency_key: IdempotencyKey = None,
) -> Envelope[ChatReply]:
    """Send a message: safety gate first (crisis -> fixed hotline reply, no agent), then the crew.
    With ``Idempotency-Key``: a retry of a stored message is answered from the stored turn."""
    reply = await service.send_message(
        db=db, settings=settings, user=user, payload=body, request=request, idempotency_key=idempotency_key
    )
    if reply.replayed:
        response.headers[REPLAYED_HEADER] = "true"
    return Envelope[ChatReply](data=reply)


def sse_events(reply: ChatReply) -> list[dict[str, str]]:
    """The SSE frames for a reply: emotion, delta*, content, done."""
    events: list[dict[str, str]] = [
        {
            "event": "emotion",
            "data": json.dumps(
                {"emotion_analysis": reply.emotion_analysis, "safety": reply.safety.model_dump()},
                ensure_ascii=False,
            ),
        }
    ]
    for piece in service.reply_chunks(reply.duck_response.text):
        events.append({"event": "delta", "data": json.dumps({"text": piece}, ensure_ascii=False)})
    content: dict[str, Any] = {
        "panel_url": reply.duck_response.panel_url,
        "video_url": reply.duck_response.video_url,
        "content": reply.content,
        "therapy_tip": reply.therapy_tip,
    }
    events.append({"event": "content", "data": json.dumps(content, ensure_ascii=False)})
    done = {
        "user_message": reply.user_message.model_dump(mode="json"),
        "duck_response": reply.duck_response.model_dump(mode="json"),
        "safety": reply.safety.model_dump(),
        "processing_time_ms": reply.processing_time_ms,
    }
    events.append({"event": "done", "data": json.dumps(done, ensure_ascii=False)})
    return events


@router.post(
    "/messages/stream",
    dependencies=[RateLimit("chat")],
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "SSE: emotion, delta, content, done"}
    },
)
async def stream_message(
    request: Request,
    db: WriteSession,
    settings: AppSettings,
    user: CurrentUser,
    body: MessageIn,
    idempotency_key: IdempotencyKey = None,
) -> EventSourceResponse:
    """The same reply as POST /chat/messages, as Server-Sent Events. The reply is computed first (errors
    come back as a normal JSON error envelope), then streamed: ``emotion``, ``delta`` pieces of the reply
    text, ``content`` (panel / video / exercise), ``done`` (ids, safety, timing). ``Idempotency-Key`` as
    for POST /chat/messages (a replay streams the stored turn)."""
    reply = await service.send_message(
        db=db, settings=settings, user=user, payload=body, request=request, idempotency_key=idempotency_key
    )

    async def gen() -> AsyncIterator[dict[str, str]]:
        for event in sse_events(reply):
            yield event

    headers = {REPLAYED_HEADER: "true"} if reply.replayed else None
    return EventSourceResponse(gen(), ping=15, headers=headers)


@router.get("/history/{session_id}", response_model=Envelope[HistoryOut], dependencies=[RateLimit("chat")])
async def get_history(
    db: WriteSession,
    user: CurrentUser,
    session_id: str,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    since: datetime | None = None,
) -> Envelope[HistoryOut]:
    data = await service.history(
        db=db, user=user, session_id=session_id, limit=limit, offset=offset, since=since
    )
    return Envelope[HistoryOut](data=data)


@router.post(
    "/messages/{message_id}/feedback", response_model=Envelope[FeedbackOut], dependencies=[RateLimit("chat")]
)
async def feedback(
    db: WriteSession, user: CurrentUser, message_id: str, body: FeedbackIn
) -> Envelope[FeedbackOut]:
    """Helpful / not helpful and a 1-5 score on a duck reply (feeds duck_feedback_score)."""
    fb = await service.give_feedback(
        db=db, user=user, message_id=message_id, helpful=body.helpful, score=body.score
    )
    return Envelope[FeedbackOut](data=FeedbackOut(message_id=message_id, helpful=fb.helpful, score=fb.score))
