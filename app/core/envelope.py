"""The success envelope ``{success, data, message, timestamp}`` as a generic response model."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

from app.core.types import utcnow

T = TypeVar("T")


class Envelope(BaseModel, Generic[T]):
    """Use as ``response_model=Envelope[MyData]`` and return ``envelope(data)``."""

    success: bool = True
    data: T | None = None
    message: str | None = None
    timestamp: datetime = Field(default_factory=utcnow)


class ErrorInfo(BaseModel):
    code: str
    message: str
    details: Any = None


class ErrorEnvelope(BaseModel):
    success: bool = False
    error: ErrorInfo
    timestamp: datetime = Field(default_factory=utcnow)


def envelope(data: Any = None, message: str | None = None) -> Envelope[Any]:
    return Envelope[Any](data=data, message=message)


#: pass as ``responses=ERROR_RESPONSES`` to document the error envelope in OpenAPI
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    s: {"model": ErrorEnvelope} for s in (400, 401, 403, 404, 409, 413, 422, 429, 500)
}
