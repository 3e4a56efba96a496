"""Chat endpoints: sessions (create, list, rename), messages (JSON and SSE), history, feedback on duck
replies. Deleting a session: app.privacy.router (it erases content across domains)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response
from sse_starlette.sse import EventSourceResponse

from app.agents.hosted import STREAMING_KINDS, parse_spec
from app.auth.deps import AppSettings, CurrentUser
from app.chat import service, sessions
from app.chat.deps import OwnedChatSession
from app.chat.schemas import (
    CURSOR_PATTERN,
    IDEMPOTENCY_KEY_MAX,
    IDEMPOTENCY_KEY_MIN,
    IDEMPOTENCY_KEY_PATTERN,
    ChatReply,
    FeedbackIn,
    FeedbackOut,
    HistoryOut,
    MessageIn,
    SessionCreate,
    SessionItem,
    SessionOut,
    SessionPage,
    SessionRename,
)
from app.chat.stream import sse_events, start_streamed_turn
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


@router.get("/sessions", response_model=Envelope[SessionPage], dependencies=[RateLimit("chat")])
async def list_sessions(
    db: WriteSession,
    user: CurrentUser,
    limit: Annotated[int, Query(ge=1, le=100, description="items per page")] = 20,
    cursor: Annotated[
        str | None,
        Query(
            max_length=100,
            pattern=CURSOR_PATTERN,
            description="`next_cursor` of the previous page, as it came (opaque); omit for the first page",
        ),
    ] = None,
) -> Envelope[SessionPage]:
    """My conversations, the one with the latest activity (message, else creation) first; keyset pages
    (`next_cursor`): a page never repeats a conversation of an earlier one, also while new messages
    arrive (a conversation that moves to the top appears there on the next refresh)."""
    page = await sessions.list_sessions(db=db, user=user, limit=limit, cursor=cursor)
    return Envelope[SessionPage](data=page)


@router.patch(
    "/sessions/{session_id}", response_model=Envelope[SessionItem], dependencies=[RateLimit("chat")]
)
async def rename_session(
    db: WriteSession, session: OwnedChatSession, body: SessionRename
) -> Envelope[SessionItem]:
    """Give one of my conversations a title (1-80 characters after trimming; stored encrypted).
    Someone else's or an unknown session: 404 `SESSION_NOT_FOUND`."""
    item = await sessions.rename_session(db=db, session=session, title=body.title)
    return Envelope[SessionItem](data=item)


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


@router.post(
    "/messages/stream",
    dependencies=[RateLimit("chat")],
    responses={
        200: {
            "content": {"text/event-stream": {}},
            "description": "SSE: emotion, delta, replace, content, done, error",
        }
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
    """The same reply as POST /chat/messages, as Server-Sent Events: ``emotion``, ``delta`` pieces of the
    reply text, ``content`` (panel / video / exercise), ``done`` (ids, safety, timing; its
    ``duck_response.text`` is the stored reply). With an OpenAI / OpenAI-compatible backend the deltas are
    the model's tokens as it writes them, and ``replace`` ``{text}`` replaces what was shown (a dropped
    attempt, the deadline's offline answer, a crisis reply); an error once the stream began is an ``error``
    event. Otherwise the reply is computed first and sent in pieces. Errors before the stream begins come
    back as a normal JSON error envelope. ``Idempotency-Key`` as for POST /chat/messages (a replay streams
    the stored turn)."""
    if parse_spec(settings.duck_llm).kind not in STREAMING_KINDS:
        reply = await service.send_message(
            db=db,
            settings=settings,
            user=user,
            payload=body,
            request=request,
            idempotency_key=idempotency_key,
        )

        async def gen() -> AsyncIterator[dict[str, str]]:
            for event in sse_events(reply):
                yield event

        headers = {REPLAYED_HEADER: "true"} if reply.replayed else None
        return EventSourceResponse(gen(), ping=15, headers=headers)
    live = await start_streamed_turn(
        sessionmaker=request.app.state.db.sessionmaker,
        settings=settings,
        user_id=user.id,
        payload=body,
        request=request,
        idempotency_key=idempotency_key,
    )
    replayed = live.result is not None and live.result.replayed
    headers = {REPLAYED_HEADER: "true"} if replayed else None
    return EventSourceResponse(live.events(), ping=15, headers=headers)


@router.get("/history/{session_id}", response_model=Envelope[HistoryOut], dependencies=[RateLimit("chat")])
async def get_history(
    db: WriteSession,
    session: OwnedChatSession,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[
        int,
        Query(
            ge=0, description="messages skipped (from the oldest; with `before` / `latest` from the newest)"
        ),
    ] = 0,
    since: Annotated[datetime | None, Query(description="only messages created after this instant")] = None,
    before: Annotated[
        str | None,
        Query(
            max_length=64,
            description=(
                "a message id of this session: the `limit` messages right before it (404 NOT_FOUND if it "
                "is not one); pass the response's `next_before` to page further back"
            ),
        ),
    ] = None,
    latest: Annotated[
        bool, Query(description="the newest `limit` messages (where a client opening a conversation starts)")
    ] = False,
) -> Envelope[HistoryOut]:
    """A page of the conversation, oldest message first. Two ways to page:

    * forwards (default): `offset` from the oldest message, `has_more` when newer ones follow;
    * backwards from the newest: `latest=true` for the newest `limit` messages, then `before=<next_before>`
      for each older page; `has_more` when older ones precede the page, `next_before` null at the start.
    """
    data = await service.history(
        db=db, session=session, limit=limit, offset=offset, since=since, before=before, latest=latest
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
