"""Request and response bodies of the auth endpoints."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field

Locale = str


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class GuestRequest(StrictModel):
    display_name: str | None = Field(default=None, max_length=64)
    locale: str = Field(default="zh-CN", pattern=r"^[a-z]{2}(-[A-Z]{2})?$")


class RegisterRequest(StrictModel):
    email: EmailStr
    password: str = Field(min_length=1, max_length=128)
    display_name: str | None = Field(default=None, max_length=64)
    locale: str = Field(default="zh-CN", pattern=r"^[a-z]{2}(-[A-Z]{2})?$")


class UpgradeRequest(StrictModel):
    email: EmailStr
    password: str = Field(min_length=1, max_length=128)
    display_name: str | None = Field(default=None, max_length=64)


class LoginRequest(StrictModel):
    email: EmailStr
    password: str = Field(min_length=1, max_length=128)
    otp_code: str | None = Field(default=None, max_length=32)


class MfaLoginRequest(StrictModel):
    mfa_token: str = Field(min_length=1, max_length=2048)
    code: str = Field(min_length=6, max_length=32)


class RefreshRequest(StrictModel):
    refresh_token: str = Field(min_length=16, max_length=256)


class CodeRequest(StrictModel):
    code: str = Field(min_length=6, max_length=32)


class MfaDisableRequest(StrictModel):
    password: str = Field(min_length=1, max_length=128)
    code: str = Field(min_length=6, max_length=32)


class PasswordChangeRequest(StrictModel):
    current_password: str = Field(min_length=1, max_length=128)
    new_password: str = Field(min_length=1, max_length=128)


class ProfileUpdate(StrictModel):
    display_name: str | None = Field(default=None, max_length=64)
    locale: str | None = Field(default=None, pattern=r"^[a-z]{2}(-[A-Z]{2})?$")


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    email: str | None
    is_guest: bool
    is_admin: bool
    display_name: str | None
    locale: str
    created_at: datetime
    mfa_enabled: bool = False


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"  # noqa: S105 - OAuth2 token type, not a secret
    expires_in: int
    refresh_expires_in: int
    session_id: str
    user: UserOut


class MfaChallenge(BaseModel):
    mfa_required: bool = True
    mfa_token: str
    expires_in: int


class LoginResult(BaseModel):
    mfa_required: bool = False
    tokens: TokenPair | None = None
    challenge: MfaChallenge | None = None


class SessionOut(BaseModel):
    id: str
    created_at: datetime
    last_used_at: datetime
    expires_at: datetime
    user_agent: str | None
    ip_prefix: str | None
    current: bool


class MfaEnrollment(BaseModel):
    secret: str
    otpauth_uri: str


class RecoveryCodes(BaseModel):
    recovery_codes: list[str]
