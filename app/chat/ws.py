"""WebSocket chat: ``/ws/chat/{session_id}``.

Auth: ``?token=<access token>`` or a first frame ``{"type": "auth", "token": "..."}`` (within 10 s).
Client frames: ``{"type": "user_message", "data": {"text": "...", "context": {...}}}``.
Server frames: ``system_notification``, ``duck_response``, ``error``  ({type, data}).
"""

from __future__ import annotations

import json
from typing import Any

import anyio
import structlog
from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import ValidationError

from app.auth.deps import authenticate_token
from app.chat import service
from app.chat.schemas import MessageIn
from app.core.errors import AppError, ErrorCode

router = APIRouter(tags=["chat"])
log = structlog.get_logger("duck.ws")


async def _send(ws: WebSocket, kind: str, data: dict[str, Any]) -> None:
    await ws.send_text(json.dumps({"type": kind, "data": data}, ensure_ascii=False, default=str))


async def _error(ws: WebSocket, code: str, message: str | None = None) -> None:
    await _send(ws, "error", {"code": code, "message": message or code})


async def _authenticate(ws: WebSocket, session_id: str) -> tuple[str, str] | None:
    """The token and user id of the connection (``?token=`` or the first frame) when it owns the session;
    None after the error frame and the close."""
    settings = ws.app.state.settings
    token = ws.query_params.get("token")
    try:
        if not token:
            with anyio.fail_after(10):
                first = json.loads(await ws.receive_text())
            if not isinstance(first, dict) or first.get("type") != "auth" or not first.get("token"):
                await _error(ws, ErrorCode.UNAUTHORIZED, "first frame must be {type: auth, token}")
                await ws.close(code=4401)
                return None
            token = str(first["token"])
        async with ws.app.state.db.sessionmaker() as db:
            principal = await authenticate_token(db, settings, token)
            user_id = principal.user.id
            await service.get_owned_session(db=db, user_id=user_id, session_id=session_id)
    except AppError as exc:
        await _error(ws, exc.code, exc.message)
        await ws.close(code=4404 if exc.code == ErrorCode.SESSION_NOT_FOUND else 4401)
        return None
    except (TimeoutError, json.JSONDecodeError, WebSocketDisconnect):
        try:
            await _error(ws, ErrorCode.UNAUTHORIZED)
            await ws.close(code=4401)
        except Exception:  # noqa: S110 - the client is gone
            pass
        return None
    return token, user_id


async def _message_in(ws: WebSocket, raw: str, session_id: str) -> MessageIn | None:
    """The client frame as a message; None (after an error frame) when it is not a valid user_message."""
    try:
        frame = json.loads(raw)
        if not isinstance(frame, dict) or frame.get("type") != "user_message":
            await _error(ws, ErrorCode.VALIDATION_ERROR, "expected {type: user_message, data: {text}}")
            return None
        data = frame.get("data") or {}
        return MessageIn.model_validate(
            {"text": data.get("text", ""), "session_id": session_id, "context": data.get("context") or {}}
        )
    except (json.JSONDecodeError, ValidationError, AttributeError, TypeError):
        await _error(ws, ErrorCode.VALIDATION_ERROR, "invalid message frame")
        return None


async def _rate_limited(ws: WebSocket, user_id: str) -> bool:
    limiter = getattr(ws.app.state, "ratelimiter", None)
    if limiter is None:
        return False
    result = await limiter.hit("chat", f"user:{user_id}")
    if result is not None and not result.allowed:
        await _error(ws, ErrorCode.RATE_LIMIT_EXCEEDED)
        return True
    return False


async def _reply(ws: WebSocket, token: str, payload: MessageIn) -> bool:
    """Answer one message (a duck_response or an error frame); False when the connection must close."""
    settings = ws.app.state.settings
    try:
        async with ws.app.state.db.sessionmaker() as db:
            principal = await authenticate_token(db, settings, token)  # token may expire mid-connection
            reply = await service.send_message(db=db, settings=settings, user=principal.user, payload=payload)
    except AppError as exc:
        await _error(ws, exc.code, exc.message)
        if exc.code in (ErrorCode.UNAUTHORIZED, ErrorCode.TOKEN_EXPIRED):
            await ws.close(code=4401)
            return False
        return True
    except Exception as exc:
        log.error("ws.error", error_type=type(exc).__name__)
        await _error(ws, ErrorCode.INTERNAL_ERROR)
        return True
    await _send(
        ws,
        "duck_response",
        {
            "message": reply.duck_response.model_dump(mode="json"),
            "user_message": reply.user_message.model_dump(mode="json"),
            "emotion_analysis": reply.emotion_analysis,
            "safety": reply.safety.model_dump(),
            "therapy_tip": reply.therapy_tip,
            "content": reply.content,
            "processing_time_ms": reply.processing_time_ms,
        },
    )
    return True


@router.websocket("/ws/chat/{session_id}")
async def chat_ws(ws: WebSocket, session_id: str) -> None:
    await ws.accept()
    auth = await _authenticate(ws, session_id)
    if auth is None:
        return
    token, user_id = auth
    await _send(
        ws, "system_notification", {"message": "鸭鸭已连接", "action": "connected", "session_id": session_id}
    )
    while True:
        try:
            raw = await ws.receive_text()
        except WebSocketDisconnect:
            return
        payload = await _message_in(ws, raw, session_id)
        if payload is None or await _rate_limited(ws, user_id):
            continue
        if not await _reply(ws, token, payload):
            return
