"""Reading and editing a user: e-mail normalisation, the ``UserOut`` view, the profile."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import MfaCredential, User
from app.auth.schemas import UserOut


def normalise_email(email: str) -> str:
    return email.strip().lower()


async def email_taken(db: AsyncSession, email: str) -> bool:
    return (await db.scalar(select(User.id).where(User.email == email))) is not None


async def mfa_enabled(db: AsyncSession, *, user_id: str) -> bool:
    row = await db.scalar(
        select(MfaCredential.id).where(
            MfaCredential.user_id == user_id, MfaCredential.confirmed_at.is_not(None)
        )
    )
    return row is not None


async def user_out(db: AsyncSession, user: User) -> UserOut:
    enabled = await mfa_enabled(db, user_id=user.id)
    out = UserOut.model_validate(user)
    out.mfa_enabled = enabled
    return out


async def update_profile(
    db: AsyncSession, *, user: User, display_name: str | None, locale: str | None
) -> UserOut:
    """Change the display name and/or locale (``None`` keeps the current value)."""
    if display_name is not None:
        user.display_name = display_name
    if locale is not None:
        user.locale = locale
    await db.commit()
    return await user_out(db, user)
