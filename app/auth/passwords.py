"""Password policy: length, a shipped common-password list, no e-mail echo, not one repeated char."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from app.core.errors import AppError, ErrorCode

COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")
MAX_LENGTH = 128


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(s.strip().lower() for s in lines if s.strip() and not s.startswith("#"))


def password_problem(password: str, *, min_length: int, email: str | None = None) -> str | None:
    if len(password) < min_length:
        return f"too_short: at least {min_length} characters"
    if len(password) > MAX_LENGTH:
        return f"too_long: at most {MAX_LENGTH} characters"
    if len(set(password)) < 4:
        return "too_simple: use more different characters"
    low = password.lower()
    if low in common_passwords():
        return "too_common: this password is on a list of commonly used passwords"
    if email:
        local = email.split("@", 1)[0].lower()
        if len(local) >= 4 and local in low:
            return "contains_email: do not reuse your e-mail address"
    return None


def check_password(password: str, *, min_length: int, email: str | None = None) -> None:
    problem = password_problem(password, min_length=min_length, email=email)
    if problem:
        reason, _, hint = problem.partition(": ")
        raise AppError(
            ErrorCode.VALIDATION_ERROR,
            f"密码不符合要求 (password rejected): {hint}",
            status=422,
            details={"field": "password", "reason": reason},
        )
