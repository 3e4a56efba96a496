"""Report API schemas (pd_app api.md §7). The payload shapes follow api.md; they are built as dicts."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ReportOut(BaseModel):
    kind: str
    period_start: str
    period_end: str
    cached: bool
    report: dict[str, Any]
    comparison: dict[str, Any]
