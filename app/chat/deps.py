"""Chat dependencies: ``OwnedChatSession`` — the ``{session_id}`` of the path, if it is the caller's.

Chained like the full-stack-fastapi-template's ``CurrentUser``: it depends on ``CurrentUser`` (the bearer
token) and the request's ``WriteSession``, so an endpoint that declares ``session: OwnedChatSession`` gets
the row and needs neither the id nor a hand-written ownership check. Anyone else's session and an unknown
id are the same 404 ``SESSION_NOT_FOUND`` (no existence leak). The lookup runs on the primary: a session
created a moment ago is found even when the endpoint reads its data from a replica.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from app.auth.deps import CurrentUser
from app.chat.models import ChatSession
from app.chat.service import get_owned_session
from app.core.db import WriteSession

SessionIdPath = Annotated[
    str, Path(max_length=64, description="a chat session id (from POST or GET /api/v1/chat/sessions)")
]


async def get_owned_chat_session(
    db: WriteSession, user: CurrentUser, session_id: SessionIdPath
) -> ChatSession:
    return await get_owned_session(db=db, user_id=user.id, session_id=session_id)


OwnedChatSession = Annotated[ChatSession, Depends(get_owned_chat_session)]
