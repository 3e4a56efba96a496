"""Crisis safety gate: runs before any agent; rules plus an in-process n-gram model, no LLM, no I/O."""

from app.safety.detector import SafetyAssessment, assess
from app.safety.service import (
    SafetyResult,
    check_message,
    crisis_reply,
    hotlines_for,
    hotlines_for_level,
    resource_line,
)

__all__ = [
    "SafetyAssessment",
    "SafetyResult",
    "assess",
    "check_message",
    "crisis_reply",
    "hotlines_for",
    "hotlines_for_level",
    "resource_line",
]
