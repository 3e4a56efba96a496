"""SSE for a chat message: the frames, and streaming a hosted model's reply as it is written.

With the offline engine (or Anthropic, which is not streamed) the reply is computed first and then sent in
pieces (``sse_events``). With an OpenAI / OpenAI-compatible backend the message runs in its own task (with
its own database session, so it is stored even if the client goes away) and the frames follow the crew:

* ``emotion`` when the Listener is done (analysis and the gate's safety);
* ``delta`` for each piece of DuckStyle's reply as the model writes it;
* ``replace`` ``{"text": ...}``: the reply shown so far is replaced (a streamed attempt was dropped, the
  deadline passed and the offline engine answered, or the second opinion raised the message to crisis);
* ``content`` and ``done`` as before; ``done.duck_response.text`` is the stored reply, and the deltas (after
  the last ``replace``) add up to it: a tail the server appends (the resource line) goes out as a last delta;
* ``error`` ``{code, message}`` if the turn fails after the stream began (before that: a JSON error envelope).

Tokens the crew's thread sends once the turn is decided (e.g. after the deadline) are dropped.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import structlog
from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.agents.schemas import ListenerOutput
from app.auth.models import User
from app.chat import service
from app.chat.schemas import ChatReply, MessageIn, SafetyOut
from app.core.config import Settings
from app.core.errors import AppError, ErrorCode

log = structlog.get_logger("duck.chat.stream")

Event = dict[str, str]


def _event(name: str, data: dict[str, Any]) -> Event:
    return {"event": name, "data": json.dumps(data, ensure_ascii=False)}


def emotion_event(analysis: dict[str, Any], safety: SafetyOut) -> Event:
    return _event("emotion", {"emotion_analysis": analysis, "safety": safety.model_dump()})


def delta_events(text: str) -> list[Event]:
    return [_event("delta", {"text": piece}) for piece in service.reply_chunks(text)]


def content_event(reply: ChatReply) -> Event:
    return _event(
        "content",
        {
            "panel_url": reply.duck_response.panel_url,
            "video_url": reply.duck_response.video_url,
            "content": reply.content,
            "therapy_tip": reply.therapy_tip,
        },
    )


def done_event(reply: ChatReply) -> Event:
    return _event(
        "done",
        {
            "user_message": reply.user_message.model_dump(mode="json"),
            "duck_response": reply.duck_response.model_dump(mode="json"),
            "safety": reply.safety.model_dump(),
            "processing_time_ms": reply.processing_time_ms,
        },
    )


def sse_events(reply: ChatReply) -> list[Event]:
    """The SSE frames for a finished reply: emotion, delta*, content, done."""
    return [
        emotion_event(reply.emotion_analysis, reply.safety),
        *delta_events(reply.duck_response.text),
        content_event(reply),
        done_event(reply),
    ]


class ReplyStream:
    """What one streamed turn has produced so far, handed from the crew's thread to the SSE response.

    ``on_event`` may be called from any thread; everything else runs on the event loop."""

    def __init__(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        self._started = asyncio.Event()
        self._closed = False
        self.result: ChatReply | None = None
        self.error: BaseException | None = None
        self.streamed = False  # an event that starts the response came before the end

    def on_event(self, kind: str, value: Any) -> None:
        """The service's ("safety", SafetyOut) and the crew's ("analysis" | "token" | "reset", value)."""
        if self._closed:
            return
        try:
            self._loop.call_soon_threadsafe(self._put, kind, value)
        except RuntimeError:  # the loop is gone (an abandoned crew thread at shutdown)
            return

    def _put(self, kind: str, value: Any) -> None:
        if self._closed:  # the turn is decided: later tokens of an abandoned crew are dropped
            return
        if kind != "safety" and not self._started.is_set():
            self.streamed = True
            self._started.set()
        self._queue.put_nowait((kind, value))

    def finish(self, reply: ChatReply) -> None:
        self.result = reply
        self._end("end", reply)

    def fail(self, exc: BaseException) -> None:
        self.error = exc
        self._end("error", exc)

    def _end(self, kind: str, value: Any) -> None:
        self._closed = True
        self._queue.put_nowait((kind, value))
        self._started.set()

    async def started(self) -> None:
        """Wait until the response can start: the first streamed event, or the end of the turn. A turn that
        failed before anything was streamed raises its error here (a JSON error envelope, as today)."""
        await self._started.wait()
        if self.error is not None and not self.streamed:
            raise self.error

    async def events(self) -> AsyncIterator[Event]:
        safety: SafetyOut | None = None
        emotion_sent = False
        shown = ""  # the reply text the client shows now
        while True:
            kind, value = await self._queue.get()
            if kind == "safety":
                safety = value
            elif kind == "analysis" and not emotion_sent and safety is not None:
                assert isinstance(value, ListenerOutput)
                yield emotion_event(value.model_dump(), safety)
                emotion_sent = True
            elif kind == "token" and emotion_sent:
                shown += value
                yield _event("delta", {"text": value})
            elif kind == "reset" and shown:
                shown = ""
                yield _event("replace", {"text": ""})
            elif kind == "end":
                reply: ChatReply = value
                if not emotion_sent:
                    yield emotion_event(reply.emotion_analysis, reply.safety)
                final = reply.duck_response.text
                if final.startswith(shown):
                    for event in delta_events(final[len(shown) :]):
                        yield event
                else:
                    yield _event("replace", {"text": final})
                yield content_event(reply)
                yield done_event(reply)
                return
            elif kind == "error":
                code, message = ErrorCode.INTERNAL_ERROR, None
                if isinstance(value, AppError):
                    code, message = value.code, value.message
                yield _event("error", {"code": code, "message": message or code})
                return


#: streamed turns still running (a task needs a reference until it is done)
_RUNNING: set[asyncio.Task[None]] = set()


async def _run(
    stream: ReplyStream,
    *,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    user_id: str,
    payload: MessageIn,
    request: Request | None,
    idempotency_key: str | None,
) -> None:
    try:
        async with sessionmaker() as db:
            user = await db.get(User, user_id)
            if user is None:
                raise AppError(ErrorCode.UNAUTHORIZED)
            reply = await service.send_message(
                db=db,
                settings=settings,
                user=user,
                payload=payload,
                request=request,
                idempotency_key=idempotency_key,
                on_event=stream.on_event,
            )
    except Exception as exc:
        if not isinstance(exc, AppError):
            log.error("chat.stream_failed", error_type=type(exc).__name__)
        stream.fail(exc)
        return
    stream.finish(reply)


async def start_streamed_turn(
    *,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    user_id: str,
    payload: MessageIn,
    request: Request | None,
    idempotency_key: str | None,
) -> ReplyStream:
    """Run the message in its own task (it outlives the request: a client that goes away does not stop
    the turn from being answered and stored) and return once the SSE response can start."""
    stream = ReplyStream()
    task = asyncio.create_task(
        _run(
            stream,
            sessionmaker=sessionmaker,
            settings=settings,
            user_id=user_id,
            payload=payload,
            request=request,
            idempotency_key=idempotency_key,
        )
    )
    _RUNNING.add(task)
    task.add_done_callback(_RUNNING.discard)
    await stream.started()
    return stream
