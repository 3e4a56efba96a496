"""/api/v1/auth/* and /api/v1/me."""

from __future__ import annotations

from fastapi import APIRouter, Request, status

from app.auth import accounts, mfa, signin, tokens, users
from app.auth.deps import AppSettings, CurrentPrincipal, CurrentUser, FullUser
from app.auth.schemas import (
    CodeRequest,
    GuestRequest,
    LoginRequest,
    LoginResult,
    MfaDisableRequest,
    MfaEnrollment,
    MfaLoginRequest,
    PasswordChangeRequest,
    ProfileUpdate,
    RecoveryCodes,
    RefreshRequest,
    RegisterRequest,
    SessionOut,
    TokenPair,
    UpgradeRequest,
    UserOut,
)
from app.core.db import WriteSession
from app.core.envelope import ERROR_RESPONSES, Envelope
from app.core.errors import AppError, ErrorCode
from app.core.ratelimit import RateLimit

router = APIRouter(prefix="/auth", tags=["auth"], responses=ERROR_RESPONSES)
me_router = APIRouter(tags=["account"], responses=ERROR_RESPONSES)


@router.post(
    "/guest",
    response_model=Envelope[TokenPair],
    status_code=status.HTTP_201_CREATED,
    dependencies=[RateLimit("auth")],
)
async def create_guest(
    request: Request, db: WriteSession, settings: AppSettings, body: GuestRequest | None = None
) -> Envelope[TokenPair]:
    """“Open and chat”: a guest account with tokens at once."""
    body = body or GuestRequest()
    pair = await accounts.create_guest(
        db, settings, request=request, display_name=body.display_name, locale=body.locale
    )
    return Envelope[TokenPair](data=pair, message="欢迎来到心理鸭")


@router.post(
    "/register",
    response_model=Envelope[TokenPair],
    status_code=status.HTTP_201_CREATED,
    dependencies=[RateLimit("auth")],
)
async def register(
    request: Request, body: RegisterRequest, db: WriteSession, settings: AppSettings
) -> Envelope[TokenPair]:
    pair = await accounts.register(
        db,
        settings,
        email=str(body.email),
        password=body.password,
        display_name=body.display_name,
        locale=body.locale,
        request=request,
    )
    return Envelope[TokenPair](data=pair, message="注册成功")


@router.post("/login", response_model=Envelope[LoginResult], dependencies=[RateLimit("auth")])
async def login(
    request: Request, body: LoginRequest, db: WriteSession, settings: AppSettings
) -> Envelope[LoginResult]:
    """Password login. With MFA enabled either send ``otp_code`` too, or get ``mfa_required`` and an
    ``mfa_token`` to finish at ``/auth/login/mfa``."""
    result = await signin.login(
        db, settings, email=str(body.email), password=body.password, otp_code=body.otp_code, request=request
    )
    return Envelope[LoginResult](data=result)


@router.post("/login/mfa", response_model=Envelope[TokenPair], dependencies=[RateLimit("auth")])
async def login_mfa(
    request: Request, body: MfaLoginRequest, db: WriteSession, settings: AppSettings
) -> Envelope[TokenPair]:
    pair = await signin.login_with_mfa(
        db, settings, mfa_token=body.mfa_token, code=body.code, request=request
    )
    return Envelope[TokenPair](data=pair)


@router.post("/refresh", response_model=Envelope[TokenPair], dependencies=[RateLimit("auth")])
async def refresh(
    request: Request, body: RefreshRequest, db: WriteSession, settings: AppSettings
) -> Envelope[TokenPair]:
    """Rotate the refresh token. Presenting a spent token revokes the whole session."""
    pair = await tokens.refresh_tokens(db, settings, refresh_token=body.refresh_token, request=request)
    return Envelope[TokenPair](data=pair)


@router.post("/logout", response_model=Envelope[dict[str, int]])
async def logout(principal: CurrentPrincipal, db: WriteSession) -> Envelope[dict[str, int]]:
    n = await tokens.logout(db, user_id=principal.user.id, session_id=principal.session_id)
    return Envelope[dict[str, int]](data={"revoked": n}, message="已退出登录")


@router.post("/logout-all", response_model=Envelope[dict[str, int]])
async def logout_all(
    request: Request, principal: CurrentPrincipal, db: WriteSession
) -> Envelope[dict[str, int]]:
    """Sign out on every device (revokes every refresh-token family of the user)."""
    n = await tokens.logout_all(db, user_id=principal.user.id, request=request)
    return Envelope[dict[str, int]](data={"revoked": n}, message="已在所有设备退出登录")


@router.get("/sessions", response_model=Envelope[list[SessionOut]])
async def sessions(principal: CurrentPrincipal, db: WriteSession) -> Envelope[list[SessionOut]]:
    items = await tokens.list_sessions(db, user_id=principal.user.id, current_session_id=principal.session_id)
    return Envelope[list[SessionOut]](data=items)


@router.delete("/sessions/{session_id}", response_model=Envelope[dict[str, int]])
async def revoke_session(
    session_id: str, principal: CurrentPrincipal, db: WriteSession
) -> Envelope[dict[str, int]]:
    n = await tokens.revoke_session(db, user_id=principal.user.id, session_id=session_id)
    return Envelope[dict[str, int]](data={"revoked": n})


@router.post("/upgrade", response_model=Envelope[UserOut])
async def upgrade(
    request: Request, body: UpgradeRequest, user: CurrentUser, db: WriteSession, settings: AppSettings
) -> Envelope[UserOut]:
    """Guest → full account (same id: chat history, logs and reports are kept)."""
    out = await accounts.upgrade_guest(
        db,
        settings,
        user=user,
        email=str(body.email),
        password=body.password,
        display_name=body.display_name,
        request=request,
    )
    return Envelope[UserOut](data=out, message="账户升级成功")


@router.post("/password", response_model=Envelope[None])
async def change_password(
    request: Request,
    body: PasswordChangeRequest,
    principal: CurrentPrincipal,
    db: WriteSession,
    settings: AppSettings,
) -> Envelope[None]:
    if principal.user.is_guest:
        raise AppError(ErrorCode.FORBIDDEN, "访客账户没有密码 (guests have no password)")
    await accounts.change_password(
        db,
        settings,
        user=principal.user,
        current_password=body.current_password,
        new_password=body.new_password,
        keep_session_id=principal.session_id,
        request=request,
    )
    return Envelope[None](message="密码已更新，其他设备需要重新登录")


@router.post("/mfa/enroll", response_model=Envelope[MfaEnrollment])
async def mfa_enroll(
    request: Request, user: FullUser, db: WriteSession, settings: AppSettings
) -> Envelope[MfaEnrollment]:
    """Start TOTP enrolment: returns the secret and an otpauth:// URI for an authenticator app."""
    return Envelope[MfaEnrollment](data=await mfa.mfa_enroll(db, settings, user=user, request=request))


@router.post("/mfa/confirm", response_model=Envelope[RecoveryCodes])
async def mfa_confirm(
    request: Request, body: CodeRequest, user: FullUser, db: WriteSession, settings: AppSettings
) -> Envelope[RecoveryCodes]:
    """Confirm with a current code; returns one-time recovery codes (shown once)."""
    codes = await mfa.mfa_confirm(db, settings, user=user, code=body.code, request=request)
    return Envelope[RecoveryCodes](data=RecoveryCodes(recovery_codes=codes), message="两步验证已启用")


@router.post("/mfa/disable", response_model=Envelope[None])
async def mfa_disable(
    request: Request, body: MfaDisableRequest, user: FullUser, db: WriteSession, settings: AppSettings
) -> Envelope[None]:
    await mfa.mfa_disable(db, settings, user=user, password=body.password, code=body.code, request=request)
    return Envelope[None](message="两步验证已关闭")


@router.post("/mfa/recovery-codes", response_model=Envelope[RecoveryCodes])
async def mfa_recovery_codes(
    request: Request, body: CodeRequest, user: FullUser, db: WriteSession, settings: AppSettings
) -> Envelope[RecoveryCodes]:
    codes = await mfa.mfa_regenerate_codes(db, settings, user=user, code=body.code, request=request)
    return Envelope[RecoveryCodes](data=RecoveryCodes(recovery_codes=codes))


@me_router.get("/me", response_model=Envelope[UserOut])
async def me(user: CurrentUser, db: WriteSession) -> Envelope[UserOut]:
    return Envelope[UserOut](data=await users.user_out(db, user))


@me_router.patch("/me", response_model=Envelope[UserOut])
async def update_me(body: ProfileUpdate, user: CurrentUser, db: WriteSession) -> Envelope[UserOut]:
    out = await users.update_profile(db, user=user, display_name=body.display_name, locale=body.locale)
    return Envelope[UserOut](data=out)
