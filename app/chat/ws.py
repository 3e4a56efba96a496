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


@router.websocket("/ws/chat/{session_id}")
async def chat_ws(ws: WebSocket, session_id: str) -> None:
    await ws.accept()
    app = ws.app
    settings = app.state.settings
    db_factory = app.state.db.sessionmaker
    token = ws.query_params.get("token")
    try:
        if not token:
            with anyio.fail_after(10):
                first = json.loads(await ws.receive_text())
            if not isinstance(first, dict) or first.get("type") != "auth" or not first.get("token"):
                await _error(ws, ErrorCode.UNAUTHORIZED, "first frame must be {type: auth, token}")
                await ws.close(code=4401)
                return
            token = str(first["token"])
        async with db_factory() as db:
            principal = await authenticate_token(db, settings, token)
            user_id = principal.user.id
            await service.get_owned_session(db=db, user_id=user_id, session_id=session_id)
    except AppError as exc:
        await _error(ws, exc.code, exc.message)
        await ws.close(code=4404 if exc.code == ErrorCode.SESSION_NOT_FOUND else 4401)
        return
    except (TimeoutError, json.JSONDecodeError, WebSocketDisconnect):
        try:
            await _error(ws, ErrorCode.UNAUTHORIZED)
            await ws.close(code=4401)
        except Exception:  # noqa: S110 - the client is gone
            pass
        return

    await _send(
        ws, "system_notification", {"message": "鸭鸭已连接", "action": "connected", "session_id": session_id}
    )
    limiter = getattr(app.state, "ratelimiter", None)
    while True:
        try:
            raw = await ws.receive_text()
        except WebSocketDisconnect:
            return
        try:
            frame = json.loads(raw)
            if not isinstance(frame, dict) or frame.get("type") != "user_message":
                await _error(ws, ErrorCode.VALIDATION_ERROR, "expected {type: user_message, data: {text}}")
                continue
            data = frame.get("data") or {}
            payload = MessageIn.model_validate(
                {"text": data.get("text", ""), "session_id": session_id, "context": data.get("context") or {}}
            )
        except (json.JSONDecodeError, ValidationError, AttributeError, TypeError):
            await _error(ws, ErrorCode.VALIDATION_ERROR, "invalid message frame")
            continue
        if limiter is not None:
            result = await limiter.hit("chat", f"user:{user_id}")
            if result is not None and not result.allowed:
                await _error(ws, ErrorCode.RATE_LIMIT_EXCEEDED)
                continue
        try:
            async with db_factory() as db:
                principal = await authenticate_token(db, settings, token)  # token may expire mid-connection
                reply = await service.send_message(
                    db=db, settings=settings, user=principal.user, payload=payload
                )
        except AppError as exc:
            await _error(ws, exc.code, exc.message)
            if exc.code in (ErrorCode.UNAUTHORIZED, ErrorCode.TOKEN_EXPIRED):
                await ws.close(code=4401)
                return
            continue
        except Exception as exc:
            log.error("ws.error", error_type=type(exc).__name__)
            await _error(ws, ErrorCode.INTERNAL_ERROR)
            continue
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
