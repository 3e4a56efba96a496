"""Authentication dependencies.

* ``CurrentUser`` — the signed-in ``User`` (guest or full) from ``Authorization: Bearer <access token>``;
  the token's session (refresh family) must not be revoked and the user must exist.
* ``CurrentPrincipal`` — the same plus the auth session id.
* ``FullUser`` — a non-guest user; ``AdminUser`` — an administrator.
* ``authenticate_token(db, settings, token)`` — the same check for WebSockets (token in a query
  parameter or the first frame).
"""

from __future__ import annotations

from typing import Annotated

import structlog
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.errors import unauthorized
from app.auth.models import AuthSession, User
from app.auth.tokens import Principal
from app.core.config import Settings
from app.core.db import WriteSession
from app.core.errors import AppError, ErrorCode
from app.core.security import TokenError, decode_token

bearer_scheme = HTTPBearer(auto_error=False, description="access token from /api/v1/auth/*")


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


AppSettings = Annotated[Settings, Depends(get_settings_dep)]


async def authenticate_token(db: AsyncSession, settings: Settings, token: str) -> Principal:
    try:
        claims = decode_token(settings, token)
    except TokenError as exc:
        if exc.reason == "expired":
            raise AppError(
                ErrorCode.TOKEN_EXPIRED,
                status=401,
                details={"reason": "token_expired"},
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            ) from exc
        raise unauthorized("invalid_token") from exc
    row = (
        await db.execute(
            select(User, AuthSession.revoked_at, AuthSession.expires_at)
            .join(AuthSession, AuthSession.user_id == User.id)
            .where(User.id == claims.user_id, AuthSession.id == claims.session_id)
        )
    ).first()
    if row is None:
        raise unauthorized("unknown_session")
    user, revoked_at, _expires_at = row
    if revoked_at is not None:
        raise unauthorized("session_revoked")
    if user.deleted_at is not None:
        raise unauthorized("user_gone")
    structlog.contextvars.bind_contextvars(user_id=user.id)
    return Principal(user=user, session_id=claims.session_id, is_guest=user.is_guest)


async def get_current_principal(
    request: Request,
    db: WriteSession,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise unauthorized("missing_token")
    principal = await authenticate_token(db, request.app.state.settings, credentials.credentials)
    request.state.user_id = principal.user.id
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_current_principal)]


async def get_current_user(principal: CurrentPrincipal) -> User:
    return principal.user


CurrentUser = Annotated[User, Depends(get_current_user)]


async def get_full_user(user: CurrentUser) -> User:
    if user.is_guest:
        raise AppError(ErrorCode.FORBIDDEN, "请先升级为正式账户 (a full account is required)")
    return user


FullUser = Annotated[User, Depends(get_full_user)]


async def get_admin_user(user: CurrentUser) -> User:
    if not user.is_admin:
        raise AppError(ErrorCode.FORBIDDEN)
    return user


AdminUser = Annotated[User, Depends(get_admin_user)]
