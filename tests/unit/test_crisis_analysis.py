"""The analysis a crisis message gets is the same wherever it is reported (chat turns and
/emotions/analyze), and it is a valid Listener output."""

from __future__ import annotations

from app.agents.schemas import CRISIS_ANALYSIS, ListenerOutput


def test_crisis_analysis_is_a_listener_output() -> None:
    parsed = ListenerOutput.model_validate(CRISIS_ANALYSIS)
    assert parsed.support_type == "crisis"
    assert parsed.urgency_level == 5
    assert parsed.model_dump() == CRISIS_ANALYSIS


def test_chat_and_emotions_report_the_same_crisis_analysis() -> None:
    from app.chat import service as chat_service  # noqa: PLC0415 - loads the safety gate's dictionaries

    assert chat_service.CRISIS_ANALYSIS is CRISIS_ANALYSIS  # one definition (agents.schemas), not a copy
