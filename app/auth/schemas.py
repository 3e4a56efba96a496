"""Request and response bodies of the auth endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema

from app.auth.passwords import MAX_LENGTH as PASSWORD_MAX
from app.core.openapi import settings_bound

Locale = str

#: domains no mail can reach (RFC 6761 and friends); the document says so too (``not``/``pattern``)
SPECIAL_USE_DOMAINS = ("arpa", "invalid", "local", "localhost", "onion", "test")
_ANY_CASE = "|".join("".join(f"[{c.lower()}{c.upper()}]" for c in d) for d in SPECIAL_USE_DOMAINS)


def _email(value: str) -> str:
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValueError(f"not a usable e-mail address: {exc}") from None


#: an e-mail address that can receive mail; validated like pydantic's EmailStr, documented as what it is
Email = Annotated[
    str,
    AfterValidator(_email),
    WithJsonSchema(
        {
            "type": "string",
            "format": "email",
            "maxLength": 254,
            "not": {"pattern": rf"[.@]({_ANY_CASE})$"},
            "description": "an address mail can reach (not under " + ", ".join(SPECIAL_USE_DOMAINS) + ")",
        }
    ),
]

#: a new password: the policy's length (PASSWORD_MIN_LENGTH, documented per deployment) and content
#: rules (at least 4 different characters, not a common password, not the e-mail's local part)
NewPassword = Annotated[
    str,
    Field(
        min_length=8,
        max_length=PASSWORD_MAX,
        json_schema_extra=settings_bound(minLength="password_min_length"),
        description=(
            "at least PASSWORD_MIN_LENGTH characters, at least 4 different ones, not on the list of common "
            "passwords, not containing the e-mail's local part (refused: 422, details.reason too_simple / "
            "too_common / contains_email)"
        ),
    ),
]


class StrictModel(BaseModel):
    """A request body: unknown fields refused, JSON types as documented (no "1" for 1, no false for 0)."""

    model_config = ConfigDict(extra="forbid", strict=True)


class GuestRequest(StrictModel):
    display_name: str | None = Field(default=None, max_length=64)
    locale: str = Field(default="zh-CN", pattern=r"^[a-z]{2}(-[A-Z]{2})?$")


class RegisterRequest(StrictModel):
    email: Email
    password: NewPassword
    display_name: str | None = Field(default=None, max_length=64)
    locale: str = Field(default="zh-CN", pattern=r"^[a-z]{2}(-[A-Z]{2})?$")


class UpgradeRequest(StrictModel):
    email: Email
    password: NewPassword
    display_name: str | None = Field(default=None, max_length=64)


class LoginRequest(StrictModel):
    email: Email
    password: str = Field(min_length=1, max_length=PASSWORD_MAX)
    otp_code: str | None = Field(default=None, max_length=32)


class MfaLoginRequest(StrictModel):
    mfa_token: str = Field(min_length=1, max_length=2048)
    code: str = Field(min_length=6, max_length=32)


class RefreshRequest(StrictModel):
    refresh_token: str = Field(min_length=16, max_length=256)


class CodeRequest(StrictModel):
    code: str = Field(min_length=6, max_length=32)


class MfaDisableRequest(StrictModel):
    password: str = Field(min_length=1, max_length=PASSWORD_MAX)
    code: str = Field(min_length=6, max_length=32)


class PasswordChangeRequest(StrictModel):
    current_password: str = Field(min_length=1, max_length=PASSWORD_MAX)
    new_password: NewPassword


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
