"""Request bodies of the privacy endpoints."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class DeleteAccountRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    #: required for full accounts
    password: str | None = Field(default=None, max_length=128)
    #: TOTP or recovery code, required when MFA is enabled
    otp_code: str | None = Field(default=None, max_length=32)
